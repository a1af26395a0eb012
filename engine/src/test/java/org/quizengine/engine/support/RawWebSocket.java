package org.quizengine.engine.support;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client written on a plain {@link Socket}, for input no well-behaved client library
 * sends: text frames holding any bytes, fragments in any order, control frames between them, a
 * message never finished. It does the upgrade and masks what it sends; it records the text frames
 * the server sends (as JSON) and the close code, if any.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    /** The socket ended without a close frame (RFC 6455's 1006, never sent on the wire). */
    public static final short NO_CLOSE_FRAME = 1006;

    private final Socket socket;
    private final OutputStream out;
    private final List<JsonObject> frames = new ArrayList<>();
    /** For each of {@link #frames}, the number of the socket read that completed it. */
    private final List<Integer> readOfFrame = new ArrayList<>();
    private final ReadCounter reads;
    private int taken;
    private int pongs;
    private volatile Short closeStatus;
    private volatile String closeReason;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reads = new ReadCounter(socket.getInputStream());
    }

    /** Counts the reads from the socket that returned bytes: frames completed by one read came in together. */
    private static final class ReadCounter extends FilterInputStream {
        private volatile int count;

        ReadCounter(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count++;
            }
            return n;
        }
    }

    /** Opens {@code /ws} on {@code port} with {@code token}; fails unless the server answers 101. */
    public static RawWebSocket connect(int port, String token) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            RawWebSocket ws = new RawWebSocket(socket);
            ws.upgrade(port, token);
            Thread reader = new Thread(ws::readLoop, "raw-ws-reader");
            reader.setDaemon(true);
            reader.start();
            return ws;
        } catch (IOException e) {
            throw new AssertionError("could not open a raw WebSocket: " + e.getMessage(), e);
        }
    }

    private void upgrade(int port, String token) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET /ws?access_token=" + token + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:" + port + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new AssertionError("upgrade refused: " + head);
        }
    }

    /** Reads the response head byte by byte, so nothing of the first frame is read ahead. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade: " + head);
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends one frame, masked as a client must. Returns false if the connection is already gone. */
    public boolean sendFrame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        try {
            synchronized (out) {
                frame.writeTo(out);
                out.flush();
            }
            return true;
        } catch (IOException e) {
            return false; // the server closed the connection: what it said is in closeStatus
        }
    }

    public boolean sendText(String text) {
        return sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public boolean sendText(byte[] bytes) {
        return sendFrame(true, TEXT, bytes);
    }

    private void readLoop() {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            // Buffered, so that one read takes all the socket holds: what the server sent together.
            DataInputStream in = new DataInputStream(new BufferedInputStream(reads, 1 << 16));
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = first & 0x0F;
                if (opcode == CLOSE) {
                    closed(payload.length >= 2 ? (short) (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)) : 1005,
                        payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "");
                    return;
                }
                if (opcode == PONG) {
                    synchronized (frames) {
                        pongs++;
                        frames.notifyAll();
                    }
                } else if (opcode == TEXT || opcode == CONTINUATION) {
                    message.write(payload);
                    if ((first & 0x80) != 0) {
                        received(new JsonObject(message.toString(StandardCharsets.UTF_8)));
                        message.reset();
                    }
                }
            }
        } catch (IOException e) {
            closed(NO_CLOSE_FRAME, e.getMessage());
        }
    }

    private void received(JsonObject frame) {
        synchronized (frames) {
            frames.add(frame);
            readOfFrame.add(reads.count);
            frames.notifyAll();
        }
    }

    private void closed(short status, String reason) {
        synchronized (frames) {
            if (closeStatus == null) {
                closeReason = reason;
                closeStatus = status;
            }
            frames.notifyAll();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    /** The close code the server sent, {@link #NO_CLOSE_FRAME} if it dropped the connection, null while open. */
    public Short closeStatus() {
        return closeStatus;
    }

    public String closeReason() {
        return closeReason;
    }

    /** Every text frame received so far, in order. */
    public List<JsonObject> received() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /**
     * Which read from the socket completed {@code frame} (one of {@link #received()}): frames with the
     * same number reached this client together, as one batch of bytes.
     */
    public int socketReadOf(JsonObject frame) {
        synchronized (frames) {
            for (int i = 0; i < frames.size(); i++) {
                if (frames.get(i) == frame) {
                    return readOfFrame.get(i);
                }
            }
        }
        throw new IllegalArgumentException("not a frame this socket received: " + frame);
    }

    /** Pong control frames received so far (answers to {@link #PING} frames). */
    public int pongs() {
        synchronized (frames) {
            return pongs;
        }
    }

    /**
     * Waits up to {@code wait} for the next text frame not taken yet matching {@code condition}
     * (frames before it are taken too), or for the socket to close: empty then.
     */
    public Optional<JsonObject> next(Predicate<JsonObject> condition, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (frames) {
            while (true) {
                while (taken < frames.size()) {
                    JsonObject frame = frames.get(taken++);
                    if (condition.test(frame)) {
                        return Optional.of(frame);
                    }
                }
                long left = deadline - System.nanoTime();
                if (closeStatus != null || left <= 0) {
                    return Optional.empty();
                }
                waitOn(left);
            }
        }
    }

    /** Takes every text frame received so far: what comes next is an answer to what is sent next. */
    public void drain() {
        synchronized (frames) {
            taken = frames.size();
        }
    }

    public JsonObject next(String type) {
        return next(f -> type.equals(f.getString("type")), TestPlayer.WAIT)
            .orElseThrow(() -> new AssertionError("no '" + type + "' frame; close status " + closeStatus
                + ", frames " + received()));
    }

    /** Waits up to {@code wait} for the server to close the socket; its close code, or null if still open. */
    public Short awaitClosed(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (frames) {
            while (closeStatus == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                waitOn(left);
            }
            return closeStatus;
        }
    }

    private void waitOn(long nanos) {
        try {
            frames.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Drops the connection without a close frame. */
    @Override
    public void close() {
        closed(NO_CLOSE_FRAME, "closed by the client");
    }
}
