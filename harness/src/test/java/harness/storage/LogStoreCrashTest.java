package harness.storage;

import harness.api.Entry;
import harness.api.Storage.Persisted;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static harness.storage.Logs.entries;
import static harness.storage.Logs.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LogStore} on the simulated disk: what crashes and torn syncs leave, and what recovery makes of it. */
class LogStoreCrashTest {

    /** The store the restarted server would open: the disk crashes, and recovery runs on what is left. */
    private static LogStore crashAndReopen(SimulatedVolume disk) {
        Persisted predicted = LogStore.open(disk.durableCopy()).load();
        disk.crash();
        LogStore store = LogStore.open(disk);
        assertEquals(predicted, store.load(), "a store opened on durableCopy() recovers what a crash leaves");
        return store;
    }

    private static boolean isPrefix(List<Entry> prefix, List<Entry> of) {
        return prefix.size() <= of.size() && of.subList(0, prefix.size()).equals(prefix);
    }

    @Test
    void unsyncedEntriesAndStateAreLostAtACrash() {
        SimulatedVolume disk = new SimulatedVolume("node1's disk");
        LogStore store = LogStore.open(disk);
        store.saveTermAndVote(2, 1);
        entries(3).forEach(store::append);
        store.sync();
        store.saveTermAndVote(3, 4);
        store.append(entry(4));
        store.append(entry(5));
        assertEquals(5, store.entries().size());

        LogStore after = crashAndReopen(disk);
        assertEquals(new Persisted(2, 1, entries(3)), after.load());
        assertTrue(after.synced());
    }

    @Test
    void anUnsyncedTruncationIsUndoneByACrash() {
        SimulatedVolume disk = new SimulatedVolume("node1's disk");
        LogStore store = LogStore.open(disk);
        entries(10).forEach(store::append);
        store.sync();

        store.truncateFrom(4); // reaches the file at once, but is not durable
        store.append(new Entry(9, "a new suffix"));
        assertEquals(4, store.entries().size());
        store = crashAndReopen(disk);
        assertEquals(entries(10), store.load().log(), "the crash brought the deleted records back");

        store.truncateFrom(4);
        store.append(new Entry(9, "a new suffix"));
        store.sync();
        store = crashAndReopen(disk);
        List<Entry> expected = new ArrayList<>(entries(3));
        expected.add(new Entry(9, "a new suffix"));
        assertEquals(expected, store.load().log());
    }

    @Test
    void aTornAppendRecoversToAPrefixHoldingEverythingSyncedBefore() {
        int torn = 0, gainedSome = 0, seeds = 1000;
        for (long seed = 1; seed <= seeds; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            SimulatedVolume disk = new SimulatedVolume("disk " + seed);
            LogStore store = LogStore.open(disk);
            List<Entry> written = new ArrayList<>();
            long term = random.nextLong(0, 5);
            store.saveTermAndVote(term, 1);
            store.sync(); // so that the failing sync below is the log's
            for (int round = random.nextInt(4); round > 0; round--) { // some synced batches first
                for (int i = random.nextInt(1, 70); i > 0; i--) {
                    Entry e = Logs.randomEntry(random);
                    store.append(e);
                    written.add(e);
                }
                store.sync();
            }
            List<Entry> synced = List.copyOf(written);
            for (int i = random.nextInt(1, 70); i > 0; i--) { // then a batch whose sync fails
                Entry e = Logs.randomEntry(random);
                store.append(e);
                written.add(e);
            }

            disk.failNextSync(new SplittableRandom(seed * 31));
            assertThrows(PowerFailure.class, store::sync, "seed " + seed);
            LogStore recovered = crashAndReopen(disk);

            List<Entry> log = recovered.load().log();
            String why = "seed " + seed + ": synced " + synced.size() + ", written " + written.size() + ", recovered " + log.size()
                    + " (" + recovered.recoveryReport() + ")";
            assertTrue(isPrefix(log, written), why + ": the recovered log is a prefix of the written one");
            assertTrue(log.size() >= synced.size(), why + ": every synced entry survives");
            assertTrue(log.size() < written.size(), why + ": a torn sync cannot have kept the whole batch");
            assertEquals(term, recovered.load().term(), why);
            if (recovered.recoveryReport().contains("discarded a torn record")) {
                torn++;
            }
            if (log.size() > synced.size()) {
                gainedSome++;
            }

            // The server goes on from what survived.
            Entry next = new Entry(term, "after the crash");
            recovered.append(next);
            recovered.sync();
            List<Entry> expected = new ArrayList<>(log);
            expected.add(next);
            assertEquals(expected, crashAndReopen(disk).load().log(), why);
        }
        assertTrue(torn > seeds * 8 / 10, "most tears end inside a record: " + torn + " of " + seeds);
        assertTrue(gainedSome > seeds / 2, "most tears keep part of the batch: " + gainedSome + " of " + seeds);
    }

    /**
     * With truncations and term changes in the failed batch. The state is synced before the log, so
     * if the state was pending the power fails on state.tmp and the old state and log both remain;
     * otherwise the log's sync tears, which applies its truncations and keeps a prefix of its appends.
     */
    @Test
    void aTornSyncWithTruncationsRecoversTheOldLogOrAPrefixOfTheNewOne() {
        int stateTorn = 0, logTorn = 0;
        for (long seed = 1; seed <= 1000; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            SimulatedVolume disk = new SimulatedVolume("disk " + seed);
            LogStore store = LogStore.open(disk);
            List<Entry> written = new ArrayList<>();
            long term = 0;
            Integer vote = null;
            long syncedTerm = 0;
            Integer syncedVote = null;
            List<Entry> synced = List.of();
            int keptSinceSync = 0; // how much of the synced log no truncation since the sync has touched
            boolean statePending = false;

            for (int step = random.nextInt(20, 200); step > 0; step--) {
                int op = random.nextInt(100);
                if (op < 60) {
                    Entry e = Logs.randomEntry(random);
                    store.append(e);
                    written.add(e);
                } else if (op < 70 && !written.isEmpty()) {
                    int from = 1 + random.nextInt(written.size());
                    store.truncateFrom(from);
                    written.subList(from - 1, written.size()).clear();
                    keptSinceSync = Math.min(keptSinceSync, from - 1);
                } else if (op < 75) {
                    term++;
                    vote = random.nextBoolean() ? null : 1 + random.nextInt(5);
                    store.saveTermAndVote(term, vote);
                    statePending = true;
                } else if (op < 85) {
                    store.sync();
                    synced = List.copyOf(written);
                    keptSinceSync = synced.size();
                    syncedTerm = term;
                    syncedVote = vote;
                    statePending = false;
                }
            }
            Entry last = Logs.randomEntry(random);
            store.append(last); // something to sync
            written.add(last);

            disk.failNextSync(new SplittableRandom(seed));
            assertThrows(PowerFailure.class, store::sync);
            LogStore recovered = crashAndReopen(disk);
            Persisted p = recovered.load();
            String why = "seed " + seed + ": synced " + synced.size() + ", untouched " + keptSinceSync + ", written "
                    + written.size() + ", recovered " + p.log().size();
            if (statePending) {
                stateTorn++;
                assertEquals(new Persisted(syncedTerm, syncedVote, synced), p, why + ": the power failed on state.tmp");
            } else {
                logTorn++;
                assertTrue(isPrefix(p.log(), written), why + ": a prefix of the written log");
                assertTrue(p.log().size() >= keptSinceSync, why + ": all that was synced and not deleted since");
                assertEquals(syncedTerm, p.term(), why);
                assertEquals(syncedVote, p.votedFor(), why);
            }
        }
        assertTrue(stateTorn > 100 && logTorn > 100, "both cases ran: " + stateTorn + " and " + logTorn);
    }

    @Test
    void aTornTruncationAndAppendKeepsTheCutAndAPrefixOfTheAppend() {
        for (long seed = 1; seed <= 200; seed++) {
            SimulatedVolume disk = new SimulatedVolume("disk");
            LogStore store = LogStore.open(disk);
            entries(10).forEach(store::append);
            store.sync();
            store.truncateFrom(4);
            List<Entry> written = new ArrayList<>(entries(3));
            for (int i = 0; i < 5; i++) {
                Entry e = new Entry(7, "replacing entry " + (4 + i));
                store.append(e);
                written.add(e);
            }
            disk.failNextSync(new SplittableRandom(seed));
            assertThrows(PowerFailure.class, store::sync);
            List<Entry> log = crashAndReopen(disk).load().log();
            assertTrue(log.size() >= 3 && log.size() < 8 && isPrefix(log, written), "seed " + seed + ": " + log);
        }
    }

    @Test
    void aNewStoreOnAnEmptyDiskIsDurableAtOnce() {
        SimulatedVolume disk = new SimulatedVolume("disk");
        LogStore store = LogStore.open(disk);
        assertEquals(Persisted.empty(), store.load());
        disk.crash();
        byte[] log = disk.read("log");
        assertEquals("RAFTLOG1", new String(log, java.nio.charset.StandardCharsets.US_ASCII), "the header and the name survive");
        assertNull(disk.read("state"), "no state until a term is saved");
        assertEquals(Persisted.empty(), LogStore.open(disk).load());
    }

    @Test
    void aVoteIsDurableOnlyOnceTheRenameIs() {
        SimulatedVolume disk = new SimulatedVolume("disk");
        LogStore store = LogStore.open(disk);
        store.saveTermAndVote(1, 2);
        store.sync();
        store.saveTermAndVote(2, 3);
        store.sync();
        assertEquals(new Persisted(2, 3, List.of()), crashAndReopen(disk).load());
        assertNull(disk.read("state.tmp"), "state.tmp was renamed and the directory synced");
    }
}
