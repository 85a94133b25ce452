package io.github.dl4jspectral.cpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The process's native environment (the C library's {@code environ}), which native libraries read with
 * {@code getenv} when they load; {@link System#getenv} is the JVM's copy taken at start-up and does not see changes
 * made here. Linux only, with JavaCPP's native part: elsewhere {@link #supported()} is false, {@link #get} returns
 * null and {@link #put} does nothing.
 *
 * <p>{@link #put} works without a compiler or a native library of its own: through JavaCPP (ND4J's native bridge) it
 * copies the entry pointers into a new array, adds or replaces the entry, and assigns the array to {@code environ},
 * as POSIX allows. The old array and strings stay valid (nothing is freed), so a concurrent {@code getenv} reads
 * either the old or the new environment; the new array and entry (a few hundred bytes) live as long as the process.
 */
final class NativeEnvironment {

    /** Upper bound on the entries read, against a corrupt {@code environ}. */
    private static final int MAX_ENTRIES = 1 << 16;

    private NativeEnvironment() {
    }

    /** True on Linux with JavaCPP's native part loadable: where {@code environ} and {@code /proc/self/maps} are reachable. */
    static boolean supported() {
        return Support.SUPPORTED;
    }

    /** Decided once, on first use. */
    private static final class Support {
        static final boolean SUPPORTED = decide();

        private static boolean decide() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
                return false;
            }
            try {
                Pointer environ = Loader.addressof("environ");
                return environ != null && !environ.isNull();
            } catch (LinkageError e) {
                return false;
            }
        }
    }

    /** The value of {@code name} in the native environment, or null if it is not set (or not {@link #supported()}). */
    static synchronized String get(String name) {
        if (!supported()) {
            return null;
        }
        PointerPointer<?> entries = entries();
        String prefix = name + "=";
        for (int i = 0; i < MAX_ENTRIES; i++) {
            Pointer entry = entries.get(i);
            if (entry == null) {
                return null;
            }
            String text = new BytePointer(entry).getString(StandardCharsets.UTF_8);
            if (text.startsWith(prefix)) {
                return text.substring(prefix.length());
            }
        }
        return null;
    }

    /** Sets {@code name=value} in the native environment, replacing an earlier value; nothing if not {@link #supported()}. */
    static synchronized void put(String name, String value) {
        if (!supported()) {
            return;
        }
        PointerPointer<?> variable = environVariable();
        PointerPointer<?> old = entries();
        String prefix = name + "=";
        int count = 0;
        int replaced = -1;
        while (count < MAX_ENTRIES && old.get(count) != null) {
            if (new BytePointer(old.get(count)).getString(StandardCharsets.UTF_8).startsWith(prefix)) {
                replaced = count;
            }
            count++;
        }
        int size = replaced >= 0 ? count : count + 1;
        // malloc'ed, not JavaCPP-owned: nothing deallocates the environment while the process runs.
        PointerPointer<?> fresh = new PointerPointer<>(malloc((size + 1L) * Loader.sizeof(Pointer.class)))
                .capacity(size + 1);
        for (int i = 0; i < count; i++) {
            fresh.put(i, old.get(i));
        }
        fresh.put(replaced >= 0 ? replaced : count, cString(prefix + value));
        fresh.put(size, (Pointer) null);
        variable.put(0, fresh);
    }

    /**
     * True if an OpenMP runtime (GNU {@code libgomp}, LLVM {@code libomp}, Intel {@code libiomp}) is mapped into the
     * process: it has read its settings from the environment already. False if not {@link #supported()}.
     */
    static boolean openMpLoaded() {
        if (!supported()) {
            return false;
        }
        try {
            String maps = Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1);
            return maps.contains("/libgomp") || maps.contains("/libomp") || maps.contains("/libiomp");
        } catch (IOException e) {
            throw new IllegalStateException("/proc/self/maps: unreadable (" + e.getMessage()
                    + "); expected the process's memory map on Linux", e);
        }
    }

    /** The C library's {@code environ} variable itself, a {@code char**} slot. */
    private static PointerPointer<?> environVariable() {
        Pointer address = Loader.addressof("environ");
        if (address == null || address.isNull()) {
            throw new IllegalStateException("environ: symbol not found; expected the C library's environment variable");
        }
        return new PointerPointer<>(address).capacity(1);
    }

    /** The current {@code environ} array, null-terminated. */
    private static PointerPointer<?> entries() {
        Pointer array = environVariable().get(0);
        if (array == null) {
            // An empty environment: read as an array holding only its terminating null.
            PointerPointer<?> empty = new PointerPointer<>(1);
            empty.put(0, (Pointer) null);
            return empty;
        }
        return new PointerPointer<>(array).capacity(MAX_ENTRIES);
    }

    private static Pointer malloc(long bytes) {
        Pointer memory = Pointer.malloc(bytes);
        if (memory == null || memory.isNull()) {
            throw new IllegalStateException("environment: malloc(" + bytes + ") = null; expected memory for an entry");
        }
        return memory;
    }

    private static BytePointer cString(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        BytePointer string = new BytePointer(malloc(bytes.length + 1L)).capacity(bytes.length + 1L);
        string.put(bytes).put(bytes.length, (byte) 0);
        return string;
    }
}
