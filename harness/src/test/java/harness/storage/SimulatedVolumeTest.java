package harness.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated disk on its own: what a crash keeps of files, truncations and names, and how a sync tears. */
class SimulatedVolumeTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void unsyncedWritesAreLostAtACrash() {
        SimulatedVolume disk = new SimulatedVolume("test disk");
        disk.append("f", bytes("synced "));
        disk.sync("f");
        disk.syncDirectory();
        disk.append("f", bytes("unsynced"));
        assertEquals("synced unsynced", text(disk.read("f")), "the server sees everything it wrote");
        disk.crash();
        assertEquals("synced ", text(disk.read("f")));
        disk.append("f", bytes("again"));
        disk.sync("f");
        disk.crash();
        assertEquals("synced again", text(disk.read("f")), "writing goes on where the durable content ends");
    }

    @Test
    void aTruncationNotYetSyncedIsUndoneByACrash() {
        SimulatedVolume disk = new SimulatedVolume("test disk");
        disk.append("f", bytes("0123456789"));
        disk.sync("f");
        disk.syncDirectory();

        disk.truncate("f", 4);
        assertEquals("0123", text(disk.read("f")));
        disk.crash();
        assertEquals("0123456789", text(disk.read("f")), "a lone truncation");

        disk.truncate("f", 6);
        disk.append("f", bytes("abcdef"));
        disk.truncate("f", 2);
        disk.append("f", bytes("XY"));
        assertEquals("01XY", text(disk.read("f")));
        disk.crash();
        assertEquals("0123456789", text(disk.read("f")), "truncations and overwriting appends together");

        disk.truncate("f", 3);
        disk.append("f", bytes("abc"));
        disk.sync("f");
        disk.crash();
        assertEquals("012abc", text(disk.read("f")), "once synced, the truncation is durable");
    }

    @Test
    void aNewFileOrANewNameIsDurableOnlyAfterTheDirectoryIsSynced() {
        SimulatedVolume disk = new SimulatedVolume("test disk");
        disk.append("old", bytes("old content"));
        disk.sync("old");
        disk.syncDirectory();

        disk.append("new", bytes("new content"));
        disk.sync("new");
        disk.crash();
        assertNull(disk.read("new"), "a file synced but never named durably");

        disk.append("tmp", bytes("replacement"));
        disk.sync("tmp");
        disk.rename("tmp", "old");
        assertEquals("replacement", text(disk.read("old")));
        assertNull(disk.read("tmp"));
        disk.crash();
        assertEquals("old content", text(disk.read("old")), "the rename was not durable");
        assertNull(disk.read("tmp"), "nor was the name tmp");

        disk.append("tmp", bytes("replacement"));
        disk.sync("tmp");
        disk.rename("tmp", "old");
        disk.syncDirectory();
        disk.crash();
        assertEquals("replacement", text(disk.read("old")));
        assertNull(disk.read("tmp"));

        Volume.Counters c = disk.counters();
        assertEquals(4, c.fileSyncs());
        assertEquals(2, c.directorySyncs());
    }

    @Test
    void aTornSyncLeavesARandomPrefixOfTheUnsyncedBytes() {
        int partial = 0;
        for (long seed = 0; seed < 500; seed++) {
            SimulatedVolume disk = new SimulatedVolume("disk " + seed);
            SplittableRandom random = new SplittableRandom(seed);
            byte[] synced = new byte[random.nextInt(0, 50)];
            random.nextBytes(synced);
            byte[] unsynced = new byte[random.nextInt(1, 200)];
            random.nextBytes(unsynced);
            disk.append("f", synced);
            disk.sync("f");
            disk.syncDirectory();
            disk.append("f", unsynced);

            disk.failNextSync(new SplittableRandom(seed));
            PowerFailure failure = assertThrows(PowerFailure.class, () -> disk.sync("f"));
            assertTrue(failure.getMessage().contains("disk " + seed + ": f"), failure.getMessage());
            assertEquals(synced.length + unsynced.length, disk.read("f").length, "until the crash the server sees all it wrote");
            disk.crash();

            byte[] left = disk.read("f");
            assertTrue(left.length >= synced.length && left.length < synced.length + unsynced.length, "seed " + seed + ": " + left.length);
            assertArrayEquals(Arrays.copyOf(synced, synced.length), Arrays.copyOf(left, synced.length), "seed " + seed);
            assertArrayEquals(Arrays.copyOf(unsynced, left.length - synced.length), Arrays.copyOfRange(left, synced.length, left.length),
                    "seed " + seed + ": what survives is a prefix of what was being synced");
            if (left.length > synced.length) {
                partial++;
            }

            disk.append("f", bytes("next"));
            disk.sync("f");
            assertEquals("next", text(Arrays.copyOfRange(disk.read("f"), left.length, left.length + 4)), "the sync after is whole again");
        }
        assertTrue(partial > 400, "most tears keep some of the new bytes: " + partial);
    }

    @Test
    void aTornSyncAppliesThePendingTruncation() {
        SimulatedVolume disk = new SimulatedVolume("test disk");
        disk.append("f", bytes("0123456789"));
        disk.sync("f");
        disk.syncDirectory();
        disk.truncate("f", 4);
        disk.append("f", bytes("abcdefgh"));
        disk.failNextSync(new SplittableRandom(3));
        assertThrows(PowerFailure.class, () -> disk.sync("f"));
        disk.crash();
        String left = text(disk.read("f"));
        assertTrue(left.startsWith("0123") && "0123abcdefgh".startsWith(left) && left.length() < 12, left);
    }

    @Test
    void aDirectorySyncCutShortLosesTheNewNames() {
        SimulatedVolume disk = new SimulatedVolume("test disk");
        disk.append("a", bytes("a"));
        disk.sync("a");
        disk.failNextSync(new SplittableRandom(1));
        PowerFailure failure = assertThrows(PowerFailure.class, disk::syncDirectory);
        assertTrue(failure.getMessage().contains("test disk"), failure.getMessage());
        disk.crash();
        assertNull(disk.read("a"));
        disk.append("a", bytes("b"));
        disk.sync("a");
        disk.syncDirectory();
        disk.crash();
        assertEquals("b", text(disk.read("a")), "the failure was for one sync only");
    }

    @Test
    void aCrashClearsAPendingFailure() {
        SimulatedVolume disk = new SimulatedVolume("test disk");
        disk.append("a", bytes("a"));
        disk.failNextSync(new SplittableRandom(1));
        disk.crash();
        disk.append("a", bytes("b"));
        disk.sync("a");
        disk.syncDirectory();
        disk.crash();
        assertEquals("b", text(disk.read("a")));
    }

    @Test
    void aDurableCopyHoldsExactlyWhatACrashWouldLeave() {
        String[] names = {"a", "b", "c", "d"};
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            SimulatedVolume disk = new SimulatedVolume("disk");
            for (int step = 0; step < 400; step++) {
                String name = names[random.nextInt(names.length)];
                int op = random.nextInt(100);
                byte[] current = disk.read(name);
                if (op < 40) {
                    byte[] b = new byte[random.nextInt(1, 30)];
                    random.nextBytes(b);
                    disk.append(name, b);
                } else if (op < 52 && current != null) {
                    disk.truncate(name, random.nextInt(current.length + 1));
                } else if (op < 75 && current != null) {
                    disk.sync(name);
                } else if (op < 82 && current != null) {
                    disk.rename(name, names[random.nextInt(names.length)]);
                } else if (op < 92) {
                    disk.syncDirectory();
                } else {
                    SimulatedVolume copy = disk.durableCopy();
                    Map<String, byte[]> copied = contents(copy, names);
                    copy.append("a", bytes("written to the copy only"));
                    copy.crash();
                    disk.crash();
                    Map<String, byte[]> crashed = contents(disk, names);
                    assertEquals(crashed.keySet(), copied.keySet(), "seed " + seed + ", step " + step);
                    String where = "seed " + seed + ", step " + step + ", file ";
                    crashed.forEach((n, b) -> assertArrayEquals(b, copied.get(n), where + n));
                    assertEquals(crashed.keySet(), contents(copy, names).keySet(), "a crash of the copy keeps the same names");
                }
            }
        }
    }

    @Test
    void aDurableCopyIsIndependentOfTheOriginal() {
        SimulatedVolume disk = new SimulatedVolume("disk");
        disk.append("f", bytes("durable"));
        disk.sync("f");
        disk.syncDirectory();
        disk.append("f", bytes(" pending"));
        SimulatedVolume copy = disk.durableCopy();
        assertEquals("durable", text(copy.read("f")));
        copy.truncate("f", 2);
        copy.sync("f");
        disk.append("f", bytes(" more"));
        assertEquals("du", text(copy.read("f")));
        assertEquals("durable pending more", text(disk.read("f")));
        copy.crash();
        assertEquals("du", text(copy.read("f")), "the copy's content and names are durable from the start");
    }

    private static Map<String, byte[]> contents(SimulatedVolume disk, String[] names) {
        Map<String, byte[]> m = new HashMap<>();
        for (String n : names) {
            byte[] b = disk.read(n);
            if (b != null) {
                m.put(n, b);
            }
        }
        return m;
    }
}
