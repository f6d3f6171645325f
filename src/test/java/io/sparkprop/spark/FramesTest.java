package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The links between the driver and its step tasks, over a real loopback connection. */
class FramesTest {

    /** Two connected ends: [0] the side that accepted, [1] the side that connected. */
    private static Frames.Link[] pair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            return new Frames.Link[] {new Frames.Link(accepted), new Frames.Link(client)};
        }
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    @Test
    void messagesOfAnySizeArriveWholeAndInOrderThenTheStop() throws Exception {
        Frames.Link[] ends = pair();
        try (Frames.Link driver = ends[0]; Frames.Link task = ends[1]) {
            Random random = new Random(7);
            // 8 MB is many times the socket's buffers: the writer waits for the reader mid-message
            byte[][] messages = {new byte[0], new byte[5], new byte[8 << 20], new byte[1000]};
            for (byte[] m : messages) {
                random.nextBytes(m);
            }
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    for (byte[] m : messages) {
                        driver.write(m.length % 2 == 0 ? direct(m) : ByteBuffer.wrap(m), Frames.PATIENT);
                    }
                    driver.writeStop(Frames.PATIENT);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (byte[] m : messages) {
                ByteBuffer got = task.read(Frames.PATIENT);
                byte[] bytes = new byte[got.remaining()];
                got.get(bytes);
                assertTrue(java.util.Arrays.equals(m, bytes), "a message of " + m.length + " bytes");
            }
            assertNull(task.read(Frames.PATIENT), "the stop");
            writing.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReaderThatHearsNothingAsksAfterThePeerBetweenPollsAndStopsWhenItIsGone() throws Exception {
        Frames.Link[] ends = pair();
        try (Frames.Link driver = ends[0]; Frames.Link task = ends[1]) {
            AtomicInteger asked = new AtomicInteger();
            IOException gone = assertThrows(IOException.class, () -> task.read(() -> {
                if (asked.incrementAndGet() == 2) {
                    throw new IOException("the driver is gone");
                }
            }));
            assertEquals("the driver is gone", gone.getMessage());
            assertEquals(2, asked.get(), "asked once a poll, until the answer was no");
        }
    }

    @Test
    void aPeerThatClosesEndsTheReadAtOnceEvenMidMessage() throws Exception {
        Frames.Link[] ends = pair();
        try (Frames.Link task = ends[1]) {
            try (Frames.Link driver = ends[0]) {
                ByteBuffer half = ByteBuffer.allocate(Integer.BYTES + 3).putInt(100).put(new byte[3]).flip();
                driver.writeRaw(half, Frames.PATIENT); // says 100 bytes, sends 3, then closes
            }
            assertThrows(EOFException.class, () -> task.read(() -> {
                throw new AssertionError("a closed connection needs no poll to be noticed");
            }));
        }
    }

    @Test
    void aLengthThatIsNeitherAMessageNorTheStopIsRefused() throws Exception {
        Frames.Link[] ends = pair();
        try (Frames.Link driver = ends[0]; Frames.Link task = ends[1]) {
            driver.writeRaw(ByteBuffer.allocate(Integer.BYTES).putInt(-7).flip(), Frames.PATIENT);
            IOException e = assertThrows(IOException.class, () -> task.read(Frames.PATIENT));
            assertTrue(e.getMessage().contains("-7"), e.getMessage());
        }
    }
}
