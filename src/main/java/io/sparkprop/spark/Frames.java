package io.sparkprop.spark;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Length-prefixed messages between the driver and its resident step tasks ({@link ResidentTasks}).
 * A side waiting for the other (a step's sums, the next step's weights) polls, and checks between
 * polls whether the other is still there: the driver asks whether the Spark job still runs, a task
 * whether it was killed. A peer that dies outright closes its connection, which ends a wait at once.
 *
 * <p>Messages go through non-blocking channels from and into direct buffers: the kernel copies
 * them straight from and into the buffers. Socket streams over heap arrays, read with a timeout,
 * took twice as long to move a Fashion-MNIST network's floats across (docs/SPEED.md, "Sockets"),
 * four times every step.
 */
final class Frames {
    /** How long a wait lasts before it checks on the peer. */
    static final int POLL_MILLIS = 200;
    /** The length that says "no more steps". */
    private static final int STOP = -1;

    private Frames() {
    }

    /** What a waiting side checks between polls; throws when waiting longer is pointless. */
    @FunctionalInterface
    interface Peer {
        void checkAlive() throws IOException;
    }

    /** A peer that is never given up on by the waiting side itself (its connection's end still ends a wait). */
    static final Peer PATIENT = () -> { };

    /**
     * One end of a connection. One thread may read while another writes; reads are not safe
     * from two threads at once, nor are writes.
     */
    static final class Link implements AutoCloseable {
        private final SocketChannel channel;
        private final Selector readable;
        private final Selector writable;
        private final ByteBuffer readLength = ByteBuffer.allocateDirect(Integer.BYTES);
        private final ByteBuffer writeLength = ByteBuffer.allocateDirect(Integer.BYTES);
        private final ByteBuffer[] lengthAndMessage = {writeLength, null}; // a gathering write, every step
        // The last message read, its buffer grown as needed and kept: the step tasks' messages are
        // megabytes each, every step.
        private ByteBuffer body = ByteBuffer.allocateDirect(0);

        /** Takes over {@code channel}, connected, and makes it non-blocking. */
        Link(SocketChannel channel) throws IOException {
            this.channel = channel;
            Selector r = null;
            Selector w = null;
            try {
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                r = Selector.open();
                w = Selector.open();
                channel.register(r, SelectionKey.OP_READ);
                channel.register(w, SelectionKey.OP_WRITE);
            } catch (IOException | RuntimeException e) {
                closeQuietly(r);
                closeQuietly(w);
                closeQuietly(channel);
                throw e;
            }
            this.readable = r;
            this.writable = w;
        }

        /** The next message, valid until the next read, or null when the peer said stop. */
        ByteBuffer read(Peer peer) throws IOException {
            readLength.clear();
            readFully(readLength, peer);
            int length = readLength.getInt(0);
            if (length == STOP) {
                return null;
            }
            if (length < 0) {
                throw new IOException("a message of " + length + " bytes: the stream is out of step");
            }
            if (body.capacity() < length) {
                body = ByteBuffer.allocateDirect(length);
            }
            body.clear().limit(length);
            readFully(body, peer);
            return body.flip().slice();
        }

        /** Fills what remains of {@code into}. */
        void readFully(ByteBuffer into, Peer peer) throws IOException {
            while (into.hasRemaining()) {
                int n = channel.read(into);
                if (n < 0) {
                    throw new EOFException("the connection closed with " + into.remaining() + " bytes to come");
                }
                if (n == 0 && !await(readable)) {
                    peer.checkAlive(); // what was read stays in the buffer: a wait mid-message loses nothing
                }
            }
        }

        /** Sends {@code message} (from its position to its limit) with its length ahead of it. */
        void write(ByteBuffer message, Peer peer) throws IOException {
            writeLength.clear();
            writeLength.putInt(0, message.remaining());
            lengthAndMessage[1] = message;
            try {
                writeFully(lengthAndMessage, peer);
            } finally {
                lengthAndMessage[1] = null; // the caller's buffer is not kept
            }
        }

        /** Tells the peer there is nothing more. */
        void writeStop(Peer peer) throws IOException {
            writeLength.clear();
            writeLength.putInt(0, STOP);
            writeFully(new ByteBuffer[] {writeLength}, peer);
        }

        /** Sends bytes as they are, without a length: the greeting. */
        void writeRaw(ByteBuffer bytes, Peer peer) throws IOException {
            writeFully(new ByteBuffer[] {bytes}, peer);
        }

        private void writeFully(ByteBuffer[] parts, Peer peer) throws IOException {
            ByteBuffer last = parts[parts.length - 1];
            while (last.hasRemaining() || parts[0].hasRemaining()) {
                if (channel.write(parts) == 0 && !await(writable)) {
                    peer.checkAlive();
                }
            }
        }

        /** Whether the channel became ready within a poll. */
        private static boolean await(Selector selector) throws IOException {
            try {
                int ready = selector.select(POLL_MILLIS);
                selector.selectedKeys().clear();
                return ready > 0;
            } catch (ClosedSelectorException e) {
                throw new IOException("the connection was closed", e);
            }
        }

        @Override
        public void close() {
            closeQuietly(channel);
            closeQuietly(readable);
            closeQuietly(writable);
        }

        private static void closeQuietly(AutoCloseable c) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing is all that was asked
                }
            }
        }
    }
}
