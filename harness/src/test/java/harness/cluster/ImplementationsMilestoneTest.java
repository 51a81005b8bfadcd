package harness.cluster;

import harness.api.RaftImplementation;
import harness.testing.JarredImplementation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding a milestone's built jar under the course folder, the way notebooks pick a milestone. */
class ImplementationsMilestoneTest {

    @TempDir
    Path course;

    @AfterEach
    void forgetTheCourse() {
        System.clearProperty("raft.home");
    }

    private Path module(String name) throws IOException {
        System.setProperty("raft.home", course.toString());
        return Files.createDirectories(course.resolve(name));
    }

    /** A jar that registers JarredImplementation, as a milestone module's jar registers its own. */
    private static void registeringJar(Path jar, String provider) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/harness.api.RaftImplementation"));
            out.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    @Test
    void loadsTheModulesOwnJarOnce() throws IOException {
        Path module = module("milestone-3-commit");
        registeringJar(module.resolve("target/milestone-3-commit-1.0.0-SNAPSHOT.jar"), JarredImplementation.class.getName());
        Files.createDirectories(module.resolve("target"));
        try (OutputStream decoy = Files.newOutputStream(module.resolve("target/milestone-3-commit-1.0.0-SNAPSHOT-sources.jar"))) {
            decoy.write(0); // a sources jar beside it is not the module's jar
        }

        RaftImplementation first = Implementations.milestone(3);
        assertEquals("jarred", first.name());
        assertSame(first, Implementations.milestone(3));
    }

    @Test
    void aRebuiltJarIsLoadedAgain() throws IOException {
        Path jar = module("milestone-4-persistence").resolve("target/milestone-4-persistence-1.0.0-SNAPSHOT.jar");
        registeringJar(jar, Milestone4.class.getName());
        RaftImplementation before = Implementations.milestone(4);
        assertSame(before, Implementations.milestone(4));

        registeringJar(jar, Milestone4.class.getName());
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        assertNotSame(before, Implementations.milestone(4));
    }

    /** The jarred implementation, claiming milestone 4. */
    public static final class Milestone4 extends JarredImplementation {
        @Override
        public int milestone() {
            return 4;
        }
    }

    @Test
    void aMilestoneThatIsNotBuiltSaysWhatToRun() throws IOException {
        module("milestone-2-replication");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Implementations.milestone(2));
        assertTrue(e.getMessage().contains("milestone 2 is not built"), e.getMessage());
        assertTrue(e.getMessage().contains("./mvnw -q -B -DskipTests package"), e.getMessage());
    }

    @Test
    void aMilestoneThatDoesNotExistSaysSo() throws IOException {
        module("milestone-1-election");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Implementations.milestone(9));
        assertTrue(e.getMessage().startsWith("there is no milestone 9 in "), e.getMessage());
    }

    @Test
    void aJarThatClaimsAnotherMilestoneIsRefused() throws IOException {
        Path module = module("milestone-5-kv");
        registeringJar(module.resolve("target/milestone-5-kv-1.0.0-SNAPSHOT.jar"), JarredImplementation.class.getName());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Implementations.milestone(5));
        assertTrue(e.getMessage().contains("says it completes milestone 3"), e.getMessage());
    }

    @Test
    void withoutAConfiguredFolderTheCourseIsWhereTheHarnessWasBuilt() {
        Path root = Implementations.courseRoot();
        assertTrue(Files.isDirectory(root.resolve("harness/src/main/java/harness/cluster")), root.toString());
    }
}
