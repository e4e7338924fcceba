package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.LogCapture;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Correlation ids in the MDC: set inside the block, restored after it, on the right thread. */
@SuppressWarnings("try") // contexts are used for their scope, as users will
class LogContextTest {

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  @Test
  void userIdIsSetInsideTheBlockAndRemovedAfter() {
    try (LogContext ctx = LogContext.user("u-1")) {
      assertThat(MDC.get("userId")).isEqualTo("u-1");
    }
    assertThat(MDC.get("userId")).isNull();
  }

  @Test
  void requestIdUsesTheKeyTheHttpFilterUses() {
    try (LogContext ctx = LogContext.request("req-7")) {
      assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("req-7");
      assertThat(LogContext.REQUEST_ID).isEqualTo("requestId");
    }
  }

  @Test
  void jobContextSetsQueueTypeAndId() {
    try (LogContext ctx = LogContext.job("image-generation", "dalle-3", 42L)) {
      assertThat(MDC.getCopyOfContextMap())
          .isEqualTo(Map.of("queue", "image-generation", "jobType", "dalle-3", "jobId", "42"));
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void nestedContextShowsTheInnerValueThenTheOuterOneAgain() {
    try (LogContext outer = LogContext.user("outer")) {
      try (LogContext inner = LogContext.user("inner")) {
        assertThat(MDC.get("userId")).isEqualTo("inner");
      }
      assertThat(MDC.get("userId")).isEqualTo("outer");
    }
    assertThat(MDC.get("userId")).isNull();
  }

  @Test
  void nullValueHidesTheOuterValueInsideTheBlock() {
    try (LogContext outer = LogContext.job("q", "t", "job-1")) {
      try (LogContext inner = LogContext.job("q", "t", null)) {
        assertThat(MDC.get("jobId")).isNull();
      }
      assertThat(MDC.get("jobId")).isEqualTo("job-1");
    }
  }

  @Test
  void andAddsKeysRestoredTogether() {
    MDC.put("requestId", "before");
    try (LogContext ctx = LogContext.user("u-1").and("requestId", "r-2").and("tenant", "acme")) {
      assertThat(MDC.getCopyOfContextMap())
          .isEqualTo(Map.of("userId", "u-1", "requestId", "r-2", "tenant", "acme"));
    }
    assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("requestId", "before"));
  }

  @Test
  void closingTwiceRestoresOnlyOnce() {
    LogContext outer = LogContext.user("outer");
    LogContext inner = LogContext.user("inner");
    inner.close();
    inner.close();
    assertThat(MDC.get("userId")).isEqualTo("outer");
    outer.close();
  }

  @Test
  void longValueIsCut() {
    try (LogContext ctx = LogContext.user("u".repeat(1000))) {
      assertThat(MDC.get("userId")).hasSize(LogContext.MAX_VALUE_LENGTH);
    }
  }

  @Test
  void blankKeyIsIgnored() {
    try (LogContext ctx = LogContext.of(" ", "x")) {
      assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }
  }

  @Test
  void wrappedTaskCarriesTheIdsToAnotherThreadAndLeavesItClean() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Runnable task;
      try (LogContext ctx = LogContext.user("u-9")) {
        task = LogContext.wrap(() -> assertThat(MDC.get("userId")).isEqualTo("u-9"));
      }
      pool.submit(task).get(10, TimeUnit.SECONDS);
      assertThat(pool.submit(() -> MDC.get("userId")).get(10, TimeUnit.SECONDS)).isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyLogLineInsideTheBlockCarriesTheIds() {
    try (LogCapture logs = LogCapture.isolated();
        Monitoring monitoring =
            Monitoring.builder("bot")
                .loggerFactory(logs.context())
                .discoverExtensions(false)
                .jvmMetrics(false)
                .build()) {
      try (LogContext ctx = LogContext.user("u-1").and(LogContext.REQUEST_ID, "r-1")) {
        monitoring.logger().info("Message received");
        monitoring.handleError(new IllegalStateException("boom"));
      }
      monitoring.logger().info("after");
      assertThat(logs.render("%msg|%X{userId}|%X{requestId}%nopex"))
          .containsExactly(
              "Message received|u-1|r-1", "Error IllegalStateException: boom|u-1|r-1", "after||");
    }
  }

  @Test
  void callJobPutsTheJobIntoTheContextAndRemovesItAfter() {
    try (Monitoring monitoring =
        Monitoring.builder("worker")
            .metricsEnabled(false)
            .discoverExtensions(false)
            .jvmMetrics(false)
            .build()) {
      Map<String, String> during =
          monitoring
              .metrics()
              .callJob("image-generation", "dalle-3", "job-7", MDC::getCopyOfContextMap);
      assertThat(during)
          .isEqualTo(Map.of("queue", "image-generation", "jobType", "dalle-3", "jobId", "job-7"));
      assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }
  }

  @Test
  void runJobRestoresTheContextWhenTheJobFails() {
    try (Monitoring monitoring =
            Monitoring.builder("worker")
                .metricsEnabled(false)
                .discoverExtensions(false)
                .jvmMetrics(false)
                .build();
        LogContext outer = LogContext.user("u-1")) {
      assertThatThrownBy(
              () ->
                  monitoring
                      .metrics()
                      .runJob(
                          "email",
                          "welcome",
                          () -> {
                            throw new IOException("smtp down");
                          }))
          .isInstanceOf(IOException.class);
      assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("userId", "u-1"));
    }
  }
}
