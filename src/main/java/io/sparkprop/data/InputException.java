package io.sparkprop.data;

/**
 * Input that cannot be used, with a message that names the file, line, column or key at fault.
 * Thrown on executors too; the command line finds it in the cause chain and prints its message.
 */
public class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of an exception's message, for errors that quote a library's reason. */
    public static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The first InputException (or, failing that, IllegalArgumentException) in a cause chain, or null. */
    public static IllegalArgumentException find(Throwable e) {
        IllegalArgumentException fallback = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputException ie) {
                return ie;
            }
            if (fallback == null && t instanceof IllegalArgumentException iae) {
                fallback = iae;
            }
        }
        return fallback;
    }
}
