package io.sparkprop.data;

/** A row that cannot be trained on; {@link #rowIndex()} counts from 0 within what was being read. */
public final class BadRowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long rowIndex;
    private final String reason;
    private final int partition;

    public BadRowException(long rowIndex, String reason) {
        this(-1, rowIndex, reason);
    }

    /** A bad row found in a partition; rowIndex counts within that partition. */
    public BadRowException(int partition, long rowIndex, String reason) {
        super((partition >= 0 ? "partition " + partition + ", " : "") + "row " + (rowIndex + 1) + ": " + reason);
        this.rowIndex = rowIndex;
        this.reason = reason;
        this.partition = partition;
    }

    /** The partition the row was found in, or -1 when the rows were not partitioned. */
    public int partition() {
        return partition;
    }

    public long rowIndex() {
        return rowIndex;
    }

    public String reason() {
        return reason;
    }
}
