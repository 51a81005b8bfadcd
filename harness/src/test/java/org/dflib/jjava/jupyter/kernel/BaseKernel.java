package org.dflib.jjava.jupyter.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in with the shape of JJava's kernel (the names harness.display.Frontend looks for),
 * so the adapter's reflective path is tested without JJava. No kernel runs until a test sets one.
 */
public class BaseKernel {

    static BaseKernel running;

    public final List<DisplayData> displayed = new ArrayList<>();

    public static BaseKernel notebookKernel() {
        if (running == null) {
            throw new NullPointerException("No kernel running"); // what JJava does outside a notebook
        }
        return running;
    }

    public static BaseKernel start() {
        running = new BaseKernel();
        return running;
    }

    public static void stop() {
        running = null;
    }

    public void display(DisplayData data) {
        displayed.add(data);
    }
}
