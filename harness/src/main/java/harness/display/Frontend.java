package harness.display;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where {@link Show} sends what it shows: the Jupyter kernel this JVM runs in, or the console.
 *
 * <p>Notebooks stay kernel-neutral because only this class knows kernels. Each Java kernel runs
 * notebook code in its own JVM and has some static way to reach the running kernel and a
 * {@code DisplayData} class (a Jupyter MIME bundle) it can publish. We reach them by reflection,
 * so the harness depends on none of them:
 * <ul>
 *   <li>rapaio-jupyter-kernel (the course's kernel): the JVM's main class is its {@code MainApp},
 *       whose static field {@code kernel} has {@code display(DisplayData)};</li>
 *   <li>JJava: {@code BaseKernel.notebookKernel()};</li>
 *   <li>IJava: {@code IJava.getKernelInstance()}.</li>
 * </ul>
 * Anywhere else (plain JShell, a test, {@code ./course}) the plain-text form is printed.
 */
public interface Frontend {

    /** Shows {@code rich} in the richest form this front end can display. */
    void show(Rich rich);

    /** Which front end this is, for messages and tests: "console" or the kernel's name. */
    String label();

    /** The front end of this JVM: the first kernel found running, else the console. */
    static Frontend detect() {
        return Kernel.KNOWN.stream()
                .map(Kernel::connect)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(Console.INSTANCE);
    }

    /** Prints the plain-text form. */
    enum Console implements Frontend {
        INSTANCE;

        @Override
        public void show(Rich rich) {
            System.out.println(rich.text());
        }

        @Override
        public String label() {
            return "console";
        }
    }

    /** A running Jupyter kernel, reached by reflection. */
    final class Kernel implements Frontend {

        static final List<Spec> KNOWN = List.of(
                new Spec("rapaio-jupyter-kernel", "org.rapaio.jupyter.kernel.MainApp", "field:kernel",
                        "org.rapaio.jupyter.kernel.display.DisplayData"),
                new Spec("jjava", "org.dflib.jjava.jupyter.kernel.BaseKernel", "method:notebookKernel",
                        "org.dflib.jjava.jupyter.kernel.display.DisplayData"),
                new Spec("ijava", "io.github.spencerpark.ijava.IJava", "method:getKernelInstance",
                        "io.github.spencerpark.jupyter.kernel.display.DisplayData"));

        /**
         * How to find one kernel: the class holding the running kernel, the static member that
         * returns it ("field:name" or "method:name"), and the kernel's DisplayData class.
         */
        record Spec(String name, String holder, String accessor, String displayData) {
        }

        private final String name;
        private final Object kernel;
        private final Class<?> displayData;
        private final Method display;

        private Kernel(String name, Object kernel, Class<?> displayData) throws NoSuchMethodException {
            this.name = name;
            this.kernel = kernel;
            this.displayData = displayData;
            this.display = kernel.getClass().getMethod("display", displayData);
        }

        /** The kernel of {@code spec} if it is the one running in this JVM. */
        static Optional<Frontend> connect(Spec spec) {
            try {
                if (spec.holder().equals("org.rapaio.jupyter.kernel.MainApp") && !isMainClass(spec.holder())) {
                    return Optional.empty(); // touching MainApp.kernel elsewhere would start a kernel
                }
                ClassLoader loader = ClassLoader.getSystemClassLoader();
                Class<?> holder = Class.forName(spec.holder(), true, loader);
                String[] accessor = spec.accessor().split(":");
                Object kernel = accessor[0].equals("field")
                        ? holder.getField(accessor[1]).get(null)
                        : holder.getMethod(accessor[1]).invoke(null);
                if (kernel == null) {
                    return Optional.empty();
                }
                return Optional.of(new Kernel(spec.name(), kernel, Class.forName(spec.displayData(), true, loader)));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return Optional.empty(); // not this kernel (absent, or present but not running)
            }
        }

        private static boolean isMainClass(String className) {
            String command = System.getProperty("sun.java.command", "");
            return command.equals(className) || command.startsWith(className + " ");
        }

        @Override
        public void show(Rich rich) {
            try {
                Object data = newDisplayData(rich.text());
                Method put = displayData.getMethod("putData", String.class, Object.class);
                for (Map.Entry<String, String> e : rich.bundle().entrySet()) {
                    put.invoke(data, e.getKey(), e.getValue());
                }
                giveDisplayId(data);
                System.out.flush(); // what the cell printed so far comes before the picture
                display.invoke(kernel, data);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(name + " refused to display: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this version of " + name + " has no display API the course knows: " + e, e);
            }
        }

        /** Jupyter lets a display be updated later by its id; kernels that cannot set one do without. */
        private void giveDisplayId(Object data) throws ReflectiveOperationException {
            try {
                displayData.getMethod("setDisplayId", String.class).invoke(data, UUID.randomUUID().toString());
            } catch (NoSuchMethodException e) {
                // an older kernel: the display simply has no id
            }
        }

        /** A public no-argument constructor (JJava, IJava) or the static factory {@code fromText} (rapaio). */
        private Object newDisplayData(String text) throws ReflectiveOperationException {
            try {
                return displayData.getConstructor().newInstance();
            } catch (NoSuchMethodException e) {
                return displayData.getMethod("fromText", String.class).invoke(null, text);
            }
        }

        @Override
        public String label() {
            return name;
        }
    }
}
