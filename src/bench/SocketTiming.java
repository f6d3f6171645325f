import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Locale;

/**
 * One message of a Fashion-MNIST step (235,146 floats, 940,584 bytes) across loopback, two ways:
 * socket streams over heap arrays, written in 64 KB pieces through a buffered stream and read with
 * a timeout (how the driver and its step tasks talked until 2026-12-07), and non-blocking
 * channels from and into direct buffers, waiting in a selector between reads (Frames.Link, since).
 * A "task" thread sends the message each time a 4-byte request arrives; the "driver" times
 * request to message read whole. Rounds of each way alternate; prints the medians of each way's
 * rounds, each round's figure the median of its messages (docs/SPEED.md, "Sockets").
 *
 * Run: java src/bench/SocketTiming.java [ROUNDS]
 */
public class SocketTiming {
    private static final int BYTES = 235_146 * Float.BYTES;
    private static final int MESSAGES = 200;
    private static final int POLL_MILLIS = 200;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double[] streams = new double[rounds];
        double[] channels = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            streams[r] = streams();
            channels[r] = channels();
        }
        System.out.printf(Locale.ROOT, "socket streams, heap arrays, reads with a timeout: %.3f ms a message (rounds: %s)%n",
                median(streams), Arrays.toString(round(streams)));
        System.out.printf(Locale.ROOT, "non-blocking channels, direct buffers:             %.3f ms a message (rounds: %s)%n",
                median(channels), Arrays.toString(round(channels)));
    }

    /** The median of a round's messages, the first half left out as warm-up. */
    private static double streams() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Socket taskSide = new Socket();
            taskSide.connect(server.getLocalSocketAddress());
            Socket driverSide = server.accept();
            for (Socket s : new Socket[] {taskSide, driverSide}) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(POLL_MILLIS);
            }
            InputStream taskIn = taskSide.getInputStream();
            OutputStream taskOut = new BufferedOutputStream(taskSide.getOutputStream(), 1 << 16);
            byte[] message = new byte[BYTES];
            Thread task = new Thread(() -> {
                try {
                    byte[] request = new byte[4];
                    while (true) {
                        readFully(taskIn, request);
                        if (request[0] == 1) {
                            return;
                        }
                        for (int at = 0; at < BYTES; at += 1 << 16) {
                            taskOut.write(message, at, Math.min(1 << 16, BYTES - at));
                        }
                        taskOut.flush();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            task.start();
            InputStream driverIn = driverSide.getInputStream();
            OutputStream driverOut = driverSide.getOutputStream();
            byte[] received = new byte[BYTES];
            double[] ms = new double[MESSAGES];
            for (int i = 0; i < MESSAGES; i++) {
                long t0 = System.nanoTime();
                driverOut.write(new byte[4]);
                readFully(driverIn, received);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                Thread.sleep(2);
            }
            driverOut.write(new byte[] {1, 0, 0, 0});
            task.join();
            taskSide.close();
            driverSide.close();
            return median(Arrays.copyOfRange(ms, MESSAGES / 2, MESSAGES));
        }
    }

    private static void readFully(InputStream in, byte[] into) throws IOException {
        int at = 0;
        while (at < into.length) {
            int n;
            try {
                n = in.read(into, at, into.length - at);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                throw new EOFException();
            }
            at += n;
        }
    }

    private static double channels() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel taskSide = SocketChannel.open(server.getLocalAddress());
            SocketChannel driverSide = server.accept();
            End task = new End(taskSide);
            End driver = new End(driverSide);
            ByteBuffer message = ByteBuffer.allocateDirect(BYTES);
            Thread thread = new Thread(() -> {
                try {
                    ByteBuffer request = ByteBuffer.allocateDirect(4);
                    while (true) {
                        task.readFully(request.clear());
                        if (request.get(0) == 1) {
                            return;
                        }
                        task.writeFully(message.clear());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            thread.start();
            ByteBuffer request = ByteBuffer.allocateDirect(4);
            ByteBuffer received = ByteBuffer.allocateDirect(BYTES);
            double[] ms = new double[MESSAGES];
            for (int i = 0; i < MESSAGES; i++) {
                long t0 = System.nanoTime();
                driver.writeFully(request.clear());
                driver.readFully(received.clear());
                ms[i] = (System.nanoTime() - t0) / 1e6;
                Thread.sleep(2);
            }
            request.clear().put(0, (byte) 1);
            driver.writeFully(request);
            thread.join();
            task.close();
            driver.close();
            return median(Arrays.copyOfRange(ms, MESSAGES / 2, MESSAGES));
        }
    }

    /** A non-blocking channel with a selector each for reading and writing, as Frames.Link. */
    private static final class End {
        final SocketChannel channel;
        final Selector readable = Selector.open();
        final Selector writable = Selector.open();

        End(SocketChannel channel) throws IOException {
            this.channel = channel;
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            channel.register(readable, SelectionKey.OP_READ);
            channel.register(writable, SelectionKey.OP_WRITE);
        }

        void readFully(ByteBuffer into) throws IOException {
            while (into.hasRemaining()) {
                int n = channel.read(into);
                if (n < 0) {
                    throw new EOFException();
                }
                if (n == 0) {
                    readable.select(POLL_MILLIS);
                    readable.selectedKeys().clear();
                }
            }
        }

        void writeFully(ByteBuffer from) throws IOException {
            while (from.hasRemaining()) {
                if (channel.write(from) == 0) {
                    writable.select(POLL_MILLIS);
                    writable.selectedKeys().clear();
                }
            }
        }

        void close() throws IOException {
            channel.close();
            readable.close();
            writable.close();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] round(double[] values) {
        double[] r = new double[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.round(values[i] * 1000) / 1000.0;
        }
        return r;
    }
}
