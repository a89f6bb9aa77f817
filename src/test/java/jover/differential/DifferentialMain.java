package jover.differential;

import jover.testing.MountFixture;

/**
 * The differential property outside JUnit and Surefire (whose fork timeout ends long runs):
 * {@code java -cp <test class path> [-Djover.diff.examples=2000 -Djover.diff.ops=100 ...]
 * jover.differential.DifferentialMain [off|default|both]}. Exits 0 when the property holds, 1
 * with the failure report otherwise, 2 when it cannot run.
 */
public final class DifferentialMain {
    private DifferentialMain() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        int status = 0;
        try (Callers callers = new Callers()) {
            for (String mode : which.equals("both") ? new String[] {"default", "off"} : new String[] {which}) {
                MountFixture fx = new MountFixture();
                Thread hook = new Thread(() -> {
                    DifferentialProperty.stop();
                    try {
                        fx.cleanup();
                        Thread.sleep(2000); // an example that was mounting when the signal came
                        fx.cleanup();
                    } catch (Exception e) {
                        System.err.println("cleanup: " + e);
                    }
                }, "differential-cleanup");
                Runtime.getRuntime().addShutdownHook(hook);
                DifferentialProperty p = new DifferentialProperty(
                        DifferentialProperty.Config.fromSystemProperties(mode.equals("off")), fx, callers);
                String failure;
                try {
                    failure = p.check();
                } finally {
                    fx.cleanup();
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
                if (failure != null) {
                    System.out.println(failure);
                    status = 1;
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 2;
        }
        System.out.flush();
        System.exit(status);
    }
}
