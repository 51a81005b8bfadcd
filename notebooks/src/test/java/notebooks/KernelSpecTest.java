package notebooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rapaio.jupyter.kernel.channels.LoopThread;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelSpecTest {

    final KernelSpec spec = KernelSpec.forCourse(Course.ROOT);

    @Test
    void theKernelLoadsTheRepairedLoopThreadNotTheJars() throws Exception {
        URL[] urls = spec.kernelPath().stream().map(KernelSpecTest::url).toArray(URL[]::new);
        try (URLClassLoader kernel = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> loop = kernel.loadClass("org.rapaio.jupyter.kernel.channels.LoopThread");
            assertEquals(url(spec.kernelPath().get(0)), loop.getProtectionDomain().getCodeSource().getLocation());
            Class<?> main = kernel.loadClass(KernelSpec.KERNEL_MAIN);
            assertEquals(url(spec.kernelPath().get(1)), main.getProtectionDomain().getCodeSource().getLocation());
        }
    }

    @Test
    void everyStartedLoopRunsUntilShutDown() throws InterruptedException {
        // The unrepaired loop could end before its first turn; this one never does.
        int loops = 200;
        CountDownLatch ran = new CountDownLatch(loops);
        List<LoopThread> threads = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            boolean[] counted = {false};
            LoopThread t = new LoopThread("loop-" + i, 1, () -> {
                if (!counted[0]) {
                    counted[0] = true;
                    ran.countDown();
                }
            });
            threads.add(t);
            t.start();
        }
        boolean allRan = ran.await(10, TimeUnit.SECONDS);
        threads.forEach(LoopThread::shutdown);
        for (LoopThread t : threads) {
            t.join(1000);
        }
        assertTrue(allRan, ran.getCount() + " of " + loops + " loops ended without running");
        assertTrue(threads.stream().noneMatch(Thread::isAlive), "shutdown() ends the loops");
    }

    @Test
    void theSpecStartsTheKernelWithTheHarnessOnTheNotebooksClassPath() {
        Map<String, Object> json = spec.json();
        List<?> argv = (List<?>) json.get("argv");
        assertEquals(List.of("-cp", KernelSpec.KERNEL_MAIN, "{connection_file}"), List.of(argv.get(1), argv.get(3), argv.get(4)));
        assertEquals("Java (Raft course)", json.get("display_name"));
        Map<?, ?> env = (Map<?, ?>) json.get("env");
        String notebookPath = (String) env.get("RJK_CLASSPATH");
        assertTrue(notebookPath.contains("/harness/target/harness-"), notebookPath);
        assertTrue(notebookPath.contains("jackson-databind"), notebookPath);
        assertFalse(notebookPath.contains("milestone-"), "milestones are loaded by Cluster.builder().milestone(n), never put on the class path");
        assertEquals(Course.ROOT.toString(), env.get("RAFT_COURSE_HOME"));
    }

    @Test
    void anUnbuiltCourseSaysWhatToRun(@TempDir Path empty) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelSpec.forCourse(empty));
        assertTrue(e.getMessage().startsWith("The course is not built: "), e.getMessage());
        assertTrue(e.getMessage().contains("./course notebooks"), e.getMessage());
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
