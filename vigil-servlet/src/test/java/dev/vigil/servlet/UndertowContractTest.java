package dev.vigil.servlet;

import dev.vigil.Monitoring;
import dev.vigil.testkit.http.HttpAdapterContract;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.net.URI;

/** The HTTP-adapter contract on Undertow 2.3, the filter declared in the deployment. */
class UndertowContractTest extends HttpAdapterContract {

  @Override
  protected Application start(Setup setup) throws Exception {
    Monitoring monitoring = ContractMonitoring.start(setup);
    DeploymentInfo deployment =
        Servlets.deployment()
            .setClassLoader(UndertowContractTest.class.getClassLoader())
            .setContextPath("/shop")
            .setDeploymentName("contract");
    ContractServlets.register(
        (name, servlet, async, mapping) ->
            deployment.addServlet(
                Servlets.servlet(name, servlet.getClass(), new ImmediateInstanceFactory<>(servlet))
                    .setAsyncSupported(async)
                    .addMapping(mapping)),
        setup.probe());
    deployment
        .addFilter(
            Servlets.filter(
                    "vigil",
                    VigilServletFilter.class,
                    new ImmediateInstanceFactory<>(ContractMonitoring.filter(monitoring, setup)))
                .setAsyncSupported(true))
        .addFilterUrlMapping("vigil", "/*", DispatcherType.REQUEST)
        .addFilterUrlMapping("vigil", "/*", DispatcherType.ASYNC);
    DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
    manager.deploy();
    Undertow server =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(Handlers.path().addPrefixPath("/shop", manager.start()))
            .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    return new Application(
        URI.create("http://127.0.0.1:" + port + "/shop"),
        ContractMonitoring.metrics(monitoring),
        () -> {
          try {
            manager.stop();
            manager.undeploy();
            server.stop();
          } finally {
            monitoring.close();
          }
        });
  }
}
