package dev.vigil.examples.sim;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A payment gateway such as Stripe or YooKassa: create a payment, then wait for the bank's answer.
 * Most payments succeed; the rest fail the ways real ones do.
 */
public final class PaymentGateway {
  private static final String[] METHODS = {
    "card", "card", "card", "card", "card", "card", "card", "paypal", "paypal", "yookassa"
  };

  private final Simulation simulation;
  private final SplittableRandom random;
  private final AtomicLong ids = new AtomicLong(1000);

  public PaymentGateway(Simulation simulation) {
    this.simulation = simulation;
    this.random = simulation.split();
  }

  /** A payment waiting for confirmation. */
  public record Payment(String id, String userId, String plan, BigDecimal amount) {}

  /** The bank's answer. */
  public record Result(String status, String paymentMethod, String failureCode) {}

  /** The gateway could not be reached. */
  public static final class GatewayNetworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GatewayNetworkException() {
      super("Connection reset by the payment gateway");
    }
  }

  public Payment createPayment(String userId, String plan, BigDecimal amount)
      throws InterruptedException {
    double latency;
    boolean networkError;
    synchronized (random) {
      latency = Simulation.latencyMillis(random, 150, 600);
      networkError = random.nextDouble() < 0.02;
    }
    simulation.pass(latency);
    if (networkError) {
      throw new GatewayNetworkException();
    }
    return new Payment("pay_" + ids.incrementAndGet(), userId, plan, amount);
  }

  public Result waitForConfirmation(Payment payment) throws InterruptedException {
    double latency;
    double roll;
    String method;
    synchronized (random) {
      latency = Simulation.latencyMillis(random, 700, 2_500);
      roll = random.nextDouble();
      method = METHODS[random.nextInt(METHODS.length)];
    }
    simulation.pass(latency);
    if (roll < 0.06) {
      return new Result("failed", method, "insufficient_funds");
    }
    if (roll < 0.11) {
      return new Result("failed", method, "card_declined");
    }
    if (roll < 0.13) {
      return new Result("canceled", method, "expired");
    }
    return new Result("succeeded", method, null);
  }
}
