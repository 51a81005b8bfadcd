package harness.workspace;

import harness.api.RaftImplementation;
import harness.cluster.Cluster;
import harness.cluster.Implementations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Making, compiling and loading learners' workspaces, in a temporary folder (never the course's own workspace/). */
class WorkspaceTest {

    private static final Path ROOT = Implementations.courseRoot();

    @TempDir
    Path workspaces;

    private Starter starter() {
        return new Starter(ROOT, workspaces);
    }

    @Test
    void aWorkspaceHoldsThePreviousMilestonesCodeWithoutItsBugZooOrTheNotesTags() throws IOException {
        Workspace ws = starter().start(3, false).workspace();
        Path raft = ws.raftPackage();
        assertTrue(Files.isRegularFile(raft.resolve("Server.java")));
        assertTrue(Files.isRegularFile(raft.resolve("Log.java")));
        assertFalse(Files.exists(raft.resolve("bugzoo")), "a workspace has no bug zoo");
        String server = Files.readString(raft.resolve("Server.java"));
        assertFalse(server.contains("tag::") || server.contains("end::"), "the notes' tag lines are gone");
        assertFalse(server.contains("bug zoo"), "nor the note about the bug zoo");
        assertTrue(server.contains("handleAppendEntries"), "it is milestone 2's server");
        String glue = Files.readString(raft.resolve("Milestone.java"));
        assertTrue(glue.contains("return 3;") && !glue.contains("BugZoo"), glue);
        assertTrue(Files.readString(ws.dir().resolve("pom.xml")).contains("<artifactId>workspace-milestone-3</artifactId>"));
        assertTrue(Files.readString(workspaces.resolve("pom.xml")).contains("<module>milestone-3</module>"));
        String readme = Files.readString(ws.dir().resolve("README.md"));
        assertTrue(readme.contains("[§5.4.2, Figure 8 count replicas only for the current term]"), "the rules suite 3 grades");
        assertTrue(readme.contains("./course grade 3 --mine"), readme);
        assertFalse(Files.exists(workspaces.resolve(".milestone-3.new")), "nothing is left aside");

        RaftImplementation mine = ws.load();
        assertEquals(3, mine.milestone());
        assertTrue(mine.bugZoo().isEmpty());
        assertEquals("raft.Milestone", mine.getClass().getName());
        assertTrue(mine.getClass().getClassLoader() != getClass().getClassLoader(), "loaded in a class loader of its own");
    }

    @Test
    void startNeverOverwritesAWorkspaceAndSaysHowToStartOver() throws IOException {
        Workspace ws = starter().start(2, false).workspace();
        Path server = ws.raftPackage().resolve("Server.java");
        Files.writeString(server, "// my work\n", java.nio.file.StandardOpenOption.APPEND);
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> starter().start(2, false));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("mv "), e.getMessage());
        assertTrue(Files.readString(server).endsWith("// my work\n"), "the learner's work is untouched");
    }

    @Test
    void fromMineStartsFromTheLearnersOwnCodeAndRenumbersItsGlue() throws IOException {
        Workspace two = starter().start(2, false).workspace();
        Files.writeString(two.raftPackage().resolve("Helper.java"), "package raft;\nfinal class Helper {\n}\n");
        Workspace three = starter().start(3, true).workspace();
        assertTrue(Files.isRegularFile(three.raftPackage().resolve("Helper.java")), "every file of the learner's is carried over");
        assertEquals(3, three.load().milestone());
        assertTrue(Files.readString(three.raftPackage().resolve("Milestone.java")).contains("workspace/milestone-3"));
        String pom = Files.readString(workspaces.resolve("pom.xml"));
        assertTrue(pom.contains("<module>milestone-2</module>") && pom.contains("<module>milestone-3</module>"), pom);
    }

    @Test
    void fromMilestoneFiveMilestoneJavaOffersTheStoreAndTheClientThroughTheHarnessDefaults() throws IOException {
        String four = Starter.milestoneGlue(4);
        assertFalse(four.contains("newStateMachine") || four.contains("//@"), four);

        Workspace ws = starter().start(5, false).workspace();
        String glue = Files.readString(ws.raftPackage().resolve("Milestone.java"));
        assertTrue(glue.contains("return RaftImplementation.super.newStateMachine();")
                && glue.contains("return RaftImplementation.super.createClient(config, environment);")
                && glue.contains("import harness.api.StateMachine;") && !glue.contains("//@"), glue);
        RaftImplementation mine = ws.load();
        assertEquals(5, mine.milestone());
        assertEquals(null, mine.newStateMachine(), "no store of the learner's yet");
        assertThrows(UnsupportedOperationException.class, () -> mine.createClient(null, null));
        String readme = Files.readString(ws.dir().resolve("README.md"));
        assertTrue(readme.contains("## New in `Milestone.java`") && readme.contains("Milestone 5 adds `newStateMachine()` and"
                + " `createClient(...)` to `src/main/java/raft/Milestone.java`"), readme);
        assertTrue(readme.contains("The paper's §8 and the thesis's ch. 6."), readme);

        String done = Starter.milestoneGlue(5, 5);
        assertTrue(done.contains("return new KeyValueStore();") && done.contains("return new Client(config, environment);")
                && !done.contains("RaftImplementation.super"), done);
    }

    @Test
    void fromMineGivesTheLearnersOwnMilestoneWhatTheNextMilestoneAddsToIt() throws IOException {
        Workspace four = starter().start(4, false).workspace();
        Path glue4 = four.raftPackage().resolve("Milestone.java");
        Files.writeString(glue4, Files.readString(glue4).replace("    @Override\n    public String name()",
                "    /** Mine. */\n    @Override\n    public String name()"));
        Workspace five = starter().start(5, true).workspace();
        String glue = Files.readString(five.raftPackage().resolve("Milestone.java"));
        assertTrue(glue.contains("/** Mine. */") && glue.contains("return 5;"), glue);
        assertTrue(glue.contains("return RaftImplementation.super.newStateMachine();") && glue.contains("import harness.api.ClientConfig;"),
                glue);
        assertTrue(glue.strip().endsWith("}\n}"), "the methods go inside the class:\n" + glue);
        assertEquals(5, five.load().milestone());

        String already = "package raft;\nclass Milestone {\n    public StateMachine newStateMachine() {\n        return null;\n    }\n}\n";
        assertEquals(already, Starter.withGlueAddedBy(5, already), "a learner's Milestone that has them is left alone");
        assertEquals("x\n}\n", Starter.withGlueAddedBy(4, "x\n}\n"), "milestone 4 adds nothing to Milestone");
    }

    @Test
    void templateBlocksAreKeptOnlyWhereTheirConditionHolds() {
        String template = "a\n//@ a comment of the template's\n//@if code >= 5\nb\n//@if milestone == 6\nc\n//@else\nd\n//@end\n"
                + "//@else\ne\n//@end\nf\n";
        assertEquals("a\nb\nc\nf\n", Starter.keepBlocks(template, java.util.Map.of("milestone", 6, "code", 5)));
        assertEquals("a\nb\nd\nf\n", Starter.keepBlocks(template, java.util.Map.of("milestone", 5, "code", 5)));
        assertEquals("a\ne\nf\n", Starter.keepBlocks(template, java.util.Map.of("milestone", 5, "code", 4)));
        assertThrows(IllegalStateException.class, () -> Starter.keepBlocks("//@if code > 1\n", java.util.Map.of("code", 2)));
        assertThrows(IllegalStateException.class, () -> Starter.keepBlocks("//@if size > 1\n//@end\n", java.util.Map.of("code", 2)));
    }

    @Test
    void fromMineWithoutAnEarlierWorkspaceSaysWhatToDo() {
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> starter().start(3, true));
        assertTrue(e.getMessage().contains("./course start 3") && e.getMessage().contains("./course start 2"), e.getMessage());
        assertFalse(Files.exists(workspaces.resolve("milestone-3")), "nothing is left half made");
    }

    @Test
    void milestonesThatCannotBeStartedSaySo() {
        assertTrue(assertThrows(WorkspaceException.class, () -> starter().start(1, false)).getMessage()
                .contains("./course start 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> starter().start(9, false)).getMessage()
                .contains("numbered 1 to 8"));
        int planned = 1 + java.util.stream.IntStream.rangeClosed(1, 8)
                .filter(n -> Implementations.referenceModule(ROOT, n).isPresent()).max().orElseThrow();
        if (planned <= 8) {
            assertTrue(assertThrows(WorkspaceException.class, () -> starter().start(planned, false)).getMessage()
                    .contains("planned but not in the course yet"));
        }
    }

    @Test
    void aCompileErrorNamesTheFileTheLineAndWhatJavacSaid() throws IOException {
        Workspace ws = starter().start(2, false).workspace();
        Path server = ws.raftPackage().resolve("Server.java");
        String code = Files.readString(server);
        Files.writeString(server, code.replaceFirst("private void becomeFollower\\(\\) \\{", "private void becomeFollower() { undefinedCall();"));
        Compilation.Failed e = assertThrows(Compilation.Failed.class, ws::load);
        assertTrue(e.getMessage().startsWith("your code does not compile (1 error):"), e.getMessage());
        assertTrue(e.getMessage().contains("Server.java:") && e.getMessage().contains("cannot find symbol")
                && e.getMessage().contains("undefinedCall();"), e.getMessage());
        Files.writeString(server, code);
        assertEquals(2, ws.load().milestone(), "once fixed, the next load compiles again");
    }

    @Test
    void aWorkspaceThatDoesNotSayItsMilestoneOrRegistersNothingIsRefusedClearly() throws IOException {
        Workspace ws = starter().start(2, false).workspace();
        Path glue = ws.raftPackage().resolve("Milestone.java");
        Files.writeString(glue, Files.readString(glue).replace("return 2;", "return 1;"));
        WorkspaceException wrong = assertThrows(WorkspaceException.class, ws::load);
        assertTrue(wrong.getMessage().contains("milestone() returns 1: make it return 2"), wrong.getMessage());
        Files.delete(ws.dir().resolve("src/main/resources/META-INF/services/harness.api.RaftImplementation"));
        WorkspaceException none = assertThrows(WorkspaceException.class, ws::load);
        assertTrue(none.getMessage().contains("registers no Raft implementation"), none.getMessage());
    }

    @Test
    void aMissingWorkspaceSaysHowToMakeOne() {
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> Workspace.at(workspaces.resolve("milestone-3"), 3, ROOT).load());
        assertTrue(e.getMessage().contains("./course start 3"), e.getMessage());
    }

    @Test
    void forLearnerDropsOnlyTheNotesTagLines() {
        String code = "class A {\n    // tag::state[]\n    int x;\n    // end::state[]\n    // a tag::comment that stays\n}\n";
        assertEquals("class A {\n    int x;\n    // a tag::comment that stays\n}\n", Starter.forLearner(code));
    }

    @Test
    void aNotebookRunsTheWorkspaceAndTheEditedCodeAfterAnEdit(@TempDir Path course) throws IOException {
        // A course folder of its own, so the learner's real workspace/ is not touched.
        Files.copy(ROOT.resolve("pom.xml"), course.resolve("pom.xml"));
        Workspace ws = new Starter(ROOT, course.resolve(Workspace.FOLDER)).start(2, false).workspace();
        String saved = System.getProperty("raft.home");
        System.setProperty("raft.home", course.toString());
        try (Cluster first = Cluster.builder().workspace(2).nodes(3).seed(1).simulated()) {
            first.awaitLeader(Duration.ofSeconds(2));
            assertEquals("your workspace/milestone-2", first.subject().implementation().name());

            Path glue = ws.raftPackage().resolve("Milestone.java");
            Files.writeString(glue, Files.readString(glue).replace("\"your workspace/milestone-2\"", "\"edited\""));
            try (Cluster second = Cluster.builder().workspace(2).nodes(3).seed(1).simulated()) {
                assertEquals("edited", second.subject().implementation().name(), "the next cluster runs the edited code");
            }
        } finally {
            if (saved == null) {
                System.clearProperty("raft.home");
            } else {
                System.setProperty("raft.home", saved);
            }
        }
    }
}
