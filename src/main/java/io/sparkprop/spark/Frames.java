package io.sparkprop.spark;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * Length-prefixed messages between the driver and its resident step tasks ({@link ResidentTasks}).
 * Sockets are read with a short timeout, so that a side waiting for the other (a step's sums, the
 * next step's weights) checks between polls whether the other is still there: the driver asks
 * whether the Spark job still runs, a task whether it was killed. A peer that dies outright closes
 * its connection, which ends a read at once.
 */
final class Frames {
    /** How long a read waits before it checks on the peer. */
    static final int POLL_MILLIS = 200;
    /** The length that says "no more steps". */
    private static final int STOP = -1;

    private Frames() {
    }

    /** What a waiting reader checks between polls; throws when waiting longer is pointless. */
    @FunctionalInterface
    interface Peer {
        void checkAlive() throws IOException;
    }

    static void write(OutputStream out, ByteBuffer message) throws IOException {
        writeLength(out, message.remaining());
        if (message.hasArray()) {
            out.write(message.array(), message.arrayOffset() + message.position(), message.remaining());
        } else {
            byte[] copy = new byte[message.remaining()];
            message.duplicate().get(copy);
            out.write(copy);
        }
        out.flush();
    }

    /** Starts a message of {@code length} bytes, for a writer that streams its body itself. */
    static void writeLength(OutputStream out, int length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("a message of " + length + " bytes");
        }
        writeInt(out, length);
    }

    static void writeStop(OutputStream out) throws IOException {
        writeInt(out, STOP);
        out.flush();
    }

    /**
     * Reads messages into one buffer, grown as needed and kept: a message read is valid until the
     * next read. The step tasks' messages are megabytes each, every step.
     */
    static final class Inbox {
        private final byte[] header = new byte[Integer.BYTES];
        private byte[] body = new byte[0];

        /** The next message, or null when the peer said stop. */
        ByteBuffer read(InputStream in, Peer peer) throws IOException {
            readFully(in, header, header.length, peer);
            int length = ByteBuffer.wrap(header).getInt();
            if (length == STOP) {
                return null;
            }
            if (length < 0) {
                throw new IOException("a message of " + length + " bytes: the stream is out of step");
            }
            if (body.length < length) {
                body = new byte[length];
            }
            readFully(in, body, length, peer);
            return ByteBuffer.wrap(body, 0, length).slice();
        }
    }

    static void readFully(InputStream in, byte[] into, Peer peer) throws IOException {
        readFully(in, into, into.length, peer);
    }

    /** Reads the first {@code length} bytes of {@code into}. */
    private static void readFully(InputStream in, byte[] into, int length, Peer peer) throws IOException {
        int at = 0;
        while (at < length) {
            int n;
            try {
                n = in.read(into, at, length - at);
            } catch (SocketTimeoutException e) {
                peer.checkAlive(); // the offset is ours, so a timeout mid-message loses nothing
                continue;
            }
            if (n < 0) {
                throw new EOFException("the connection closed after " + at + " of " + length + " bytes");
            }
            at += n;
        }
    }

    private static void writeInt(OutputStream out, int value) throws IOException {
        out.write(ByteBuffer.allocate(Integer.BYTES).putInt(value).array());
    }
}
