package dev.vigil.spring.boot.contract;

import dev.vigil.Ticker;
import dev.vigil.testkit.http.HttpAdapterContract.Application;
import dev.vigil.testkit.http.HttpAdapterContract.Probe;
import dev.vigil.testkit.http.HttpAdapterContract.Setup;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The HTTP-adapter contract's application as a Spring Boot MVC application: the starter is its only
 * Vigil dependency, configured through {@code vigil.*} properties as a user would.
 */
@SpringBootApplication
public class ContractApplication {

  /** Starts the application on a free port with {@code extra} sources (a server factory). */
  public static Application start(Setup setup, Class<?>... extra) {
    Class<?>[] sources = new Class<?>[extra.length + 1];
    sources[0] = ContractApplication.class;
    System.arraycopy(extra, 0, sources, 1, extra.length);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(sources)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "vigil.service=" + setup.service(),
                "vigil.read-environment=false",
                "vigil.metrics.host=127.0.0.1",
                "vigil.metrics.port=0",
                "vigil.http.ignore-paths=" + String.join(",", setup.ignorePaths()),
                "vigil.http.error-headers=" + String.join(",", setup.errorHeaders()),
                "vigil.http.echo-request-id=" + setup.echoRequestId())
            .initializers(
                starting -> {
                  starting.getBeanFactory().registerSingleton("contractProbe", setup.probe());
                  Ticker ticker = setup.ticker()::getAsLong;
                  starting.getBeanFactory().registerSingleton("contractTicker", ticker);
                })
            .run();
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    int metricsPort = context.getBean(dev.vigil.Monitoring.class).metricsAddress().getPort();
    return new Application(
        URI.create("http://127.0.0.1:" + port),
        URI.create("http://127.0.0.1:" + metricsPort + "/metrics"),
        context::close);
  }

  @RestController
  static class Endpoints {
    private final Probe probe;

    Endpoints(Probe probe) {
      this.probe = probe;
    }

    @GetMapping("/hello")
    String hello() {
      probe.took(20);
      return "hello";
    }

    @PostMapping("/hello")
    @ResponseStatus(HttpStatus.CREATED)
    void create(@RequestBody String body) {
      probe.took(40);
    }

    @GetMapping("/users/{id}")
    String user(@PathVariable String id) {
      probe.took(5);
      return "user " + id;
    }

    @GetMapping("/missing")
    String missing() {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such thing");
    }

    @GetMapping("/unavailable")
    ResponseEntity<String> unavailable() {
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("down");
    }

    @PostMapping("/boom")
    String boom() {
      probe.took(100);
      throw new IllegalStateException("payment gateway down");
    }

    @GetMapping("/async/{id}")
    CompletableFuture<ResponseEntity<String>> async(@PathVariable String id) {
      CompletableFuture<ResponseEntity<String>> result = new CompletableFuture<>();
      probe.later(
          () -> {
            probe.took(1500);
            result.complete(ResponseEntity.status(HttpStatus.ACCEPTED).body("done " + id));
          });
      return result;
    }

    @GetMapping("/async-fail/{id}")
    CompletableFuture<String> asyncFail(@PathVariable String id) {
      CompletableFuture<String> result = new CompletableFuture<>();
      probe.later(
          () -> result.completeExceptionally(new IllegalArgumentException("async work failed")));
      return result;
    }

    @GetMapping("/health")
    String health() {
      return "ok";
    }
  }
}
