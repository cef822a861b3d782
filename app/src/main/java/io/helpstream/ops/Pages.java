package io.helpstream.ops;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages' files (HTML, CSS, JavaScript under {@code web/} on the class path), each read once and served with
 * headers that keep a browser to them: no script, style or frame from anywhere else, no inline script, no framing,
 * no address sent to other sites (but the page's origin sent to this one: the desk checks a form's Origin, and with
 * {@code no-referrer} a browser sends {@code Origin: null}).
 */
final class Pages {

    static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** Answers with the file {@code web/<name>}. */
    void serve(Context ctx, String name) {
        byte[] body = files.computeIfAbsent(name, Pages::read);
        secure(ctx);
        ctx.contentType(contentType(name)).result(body);
    }

    static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-store");
    }

    private static byte[] read(String name) {
        try (InputStream in = Pages.class.getClassLoader().getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no page web/" + name + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
