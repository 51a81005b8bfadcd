package harness.storage;

/**
 * The simulated machine lost power in the middle of one of the server's inputs. Thrown out of a
 * storage call, through the server's code, to the harness, which takes the server down at that
 * point: what it sent before is on the network, what it had not synced is lost. An {@link Error},
 * so that a server's own {@code catch (RuntimeException e)} cannot swallow it.
 */
public final class PowerFailure extends Error {

    public PowerFailure(String what) {
        super(what, null, false, false);
    }
}
