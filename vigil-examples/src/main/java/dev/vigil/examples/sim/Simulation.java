package dev.vigil.examples.sim;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The clock and dice behind the simulated providers: latencies are drawn from log-normal
 * distributions (most calls are quick, a few are very slow, as with real AI and payment APIs),
 * outcomes from a seeded random source, and {@code speed} compresses time so a demo or a test sees
 * minutes of traffic in seconds.
 */
public final class Simulation {
  private final double speed;
  private final SplittableRandom root;

  /**
   * @param seed the random seed; the same seed gives the same mix of outcomes
   * @param speed how much faster than real time (1 = real latencies)
   */
  public Simulation(long seed, double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be positive, got " + speed);
    }
    this.speed = speed;
    this.root = new SplittableRandom(seed);
  }

  public double speed() {
    return speed;
  }

  /** An independent random stream, one per provider or thread. */
  public synchronized SplittableRandom split() {
    return root.split();
  }

  /**
   * A log-normal latency in milliseconds with the given median and 95th percentile, before speed.
   */
  public static double latencyMillis(SplittableRandom random, double medianMs, double p95Ms) {
    double mu = Math.log(medianMs);
    double sigma = (Math.log(p95Ms) - mu) / 1.645;
    return Math.exp(mu + sigma * gaussian(random));
  }

  /** Waits the simulated latency, compressed by {@link #speed()}. */
  public void pass(double millis) throws InterruptedException {
    long nanos = (long) (millis * 1_000_000 / speed);
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u1 = random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
