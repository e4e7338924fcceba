package dev.vigil.spring.boot.testapp;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.Ticker;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A small real Spring Boot MVC application: the starter is its only Vigil dependency. Handlers
 * advance the test clock instead of sleeping, so durations are exact.
 */
@SpringBootApplication
public class ShopApplication {
  /** The clock the tests move; exposed as a bean, which the starter picks up. */
  public static final AtomicLong NOW = new AtomicLong(1_000_000_000L);

  /** The request id the last handler saw in the MDC. */
  public static volatile String requestIdSeen;

  @Bean
  Ticker testTicker() {
    return NOW::get;
  }

  static void took(long millis) {
    NOW.addAndGet(millis * 1_000_000L);
    requestIdSeen = MDC.get("requestId");
  }

  @RestController
  static class Api {
    @GetMapping("/api/users/{userId}")
    Map<String, String> user(@PathVariable String userId) {
      took(30);
      if (userId.equals("0")) {
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such user");
      }
      return Map.of("id", userId);
    }

    private final Monitoring monitoring;

    Api(Monitoring monitoring) {
      this.monitoring = monitoring;
    }

    @PostMapping("/api/orders")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> order(@RequestBody Map<String, String> order) {
      took(80);
      String plan = order.getOrDefault("plan", "basic");
      monitoring.trackKpi(Kpi.paymentConversion("card", plan));
      return Map.of("plan", plan);
    }

    @GetMapping("/api/stock/{sku}")
    String stock(@PathVariable String sku) {
      took(10);
      throw new OutOfStockException(sku);
    }

    /** Handled by the application: neither reported nor a 500. */
    @ExceptionHandler(OutOfStockException.class)
    ResponseEntity<String> outOfStock(OutOfStockException e) {
      return ResponseEntity.status(HttpStatus.CONFLICT).body(e.getMessage());
    }

    @GetMapping("/api/boom")
    String boom() {
      took(10);
      throw new IllegalStateException("payment provider down");
    }

    @GetMapping("/api/reports/{name}")
    Callable<String> report(@PathVariable String name) {
      return () -> {
        took(1200);
        return "report " + name;
      };
    }

    @GetMapping("/health")
    String health() {
      return "ok";
    }
  }

  static final class OutOfStockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfStockException(String sku) {
      super("out of stock: " + sku);
    }
  }
}
