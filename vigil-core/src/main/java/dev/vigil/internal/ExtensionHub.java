package dev.vigil.internal;

import com.sun.net.httpserver.HttpHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Vigil's parts and extensions hang on one {@code Monitoring} besides metrics: endpoints on
 * the metrics port, hooks run at close, and the watchdog checks of their background threads.
 */
final class ExtensionHub {
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil");

  private final BiConsumer<String, Throwable> internalError;
  private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
  private final List<Runnable> watched = new CopyOnWriteArrayList<>();
  private final Map<String, HttpHandler> endpoints = new ConcurrentHashMap<>();

  ExtensionHub(BiConsumer<String, Throwable> internalError) {
    this.internalError = internalError;
  }

  void addEndpoint(String path, HttpHandler handler) {
    endpoints.put(path, handler);
  }

  Map<String, HttpHandler> endpoints() {
    return Map.copyOf(endpoints);
  }

  void onClose(Runnable hook) {
    closeHooks.add(hook);
  }

  void runCloseHooks() {
    for (Runnable hook : closeHooks) {
      try {
        hook.run();
      } catch (Throwable e) {
        Throwables.rethrowIfFatal(e);
        LOG.warn("A Vigil close hook failed; continuing with the others", e);
      }
    }
  }

  void watch(Runnable check) {
    watched.add(check);
  }

  /** Runs the watchdog checks; never throws. */
  void checkThreads() {
    for (Runnable check : watched) {
      try {
        check.run();
      } catch (Throwable t) {
        Throwables.rethrowIfFatal(t);
        internalError.accept("watchdog", t);
      }
    }
  }
}
