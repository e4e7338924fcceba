package dev.vigil.redis;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One replica in a JVM of its own, for {@link ReplicasProofTest}: a Monitoring configured from the
 * environment (so with {@code VIGIL_REDIS_URL}), driven by lines on standard input.
 *
 * <pre>
 * users PREFIX FROM TO    tracks Kpi.activeUser(PREFIX + i) for FROM &lt;= i &lt; TO
 * queue-failure           raises alertQueueFailure("image-generation", ..)
 * payment-failure ID      tracks one failed payment
 * </pre>
 *
 * It prints {@code ready PORT} (its metrics port) once started and {@code done} after each line,
 * and exits when standard input closes.
 */
public final class ReplicaMain {
  private ReplicaMain() {}

  public static void main(String[] args) throws Exception {
    try (Monitoring m = Monitoring.fromEnv(args[0]).start()) {
      System.out.println("ready " + m.metricsAddress().getPort());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] w = line.trim().split(" ");
        switch (w[0]) {
          case "users":
            for (int i = Integer.parseInt(w[2]); i < Integer.parseInt(w[3]); i++) {
              m.trackKpi(Kpi.activeUser(w[1] + i));
            }
            break;
          case "queue-failure":
            m.alerts()
                .alertQueueFailure("image-generation", new IllegalStateException("GPU lost"), null);
            break;
          case "payment-failure":
            m.trackKpi(Kpi.paymentFailure(w[1], "card", "card_declined"));
            break;
          default:
            System.out.println("unknown " + line);
        }
        System.out.println("done");
        System.out.flush();
      }
    }
  }
}
