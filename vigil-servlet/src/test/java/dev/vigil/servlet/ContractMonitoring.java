package dev.vigil.servlet;

import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.testkit.http.HttpAdapterContract.Setup;
import java.net.URI;

/** The monitoring and the filter each container's contract test puts in front of its servlets. */
final class ContractMonitoring {
  private ContractMonitoring() {}

  static Monitoring start(Setup setup) {
    return Monitoring.builder(setup.service())
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .ticker(setup.ticker()::getAsLong)
        .build()
        .start();
  }

  static VigilServletFilter filter(Monitoring monitoring, Setup setup) {
    return VigilServletFilter.create(
        HttpInstrumentation.builder(monitoring)
            .ignorePaths(setup.ignorePaths())
            .errorHeaders(setup.errorHeaders().toArray(new String[0]))
            .echoRequestId(setup.echoRequestId())
            .build());
  }

  static URI metrics(Monitoring monitoring) {
    return URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics");
  }
}
