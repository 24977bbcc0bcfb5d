package io.trainchain.engine.docker;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.Locale;

/** Tells apart, from what docker-java throws, an interrupt of our own thread and an engine that went away. */
public final class DockerErrors {

    private DockerErrors() {
    }

    /** An interrupt that landed inside a Docker call surfaces as a RuntimeException from the HTTP client. */
    public static boolean isInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException
                    && !(t instanceof java.net.SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** The engine cannot be reached (stopped, restarting, socket gone), as opposed to an API error. */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketException
                    || t instanceof org.apache.hc.core5.http.NoHttpResponseException
                    || t instanceof org.apache.hc.core5.http.ConnectionClosedException) {
                return true;
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("connection refused") || m.contains("broken pipe") || m.contains("connection reset")
                    || m.contains("no such file or directory") || m.contains("premature end")) {
                return true;
            }
        }
        return false;
    }


    /**
     * The engine cannot serve us right now: unreachable, or answering with a server error (a daemon that is shutting
     * down fails requests with 500 before it stops listening).
     */
    public static boolean isEngineFailure(Throwable e) {
        return isConnectionFailure(e) || e instanceof com.github.dockerjava.api.exception.InternalServerErrorException;
    }
}
