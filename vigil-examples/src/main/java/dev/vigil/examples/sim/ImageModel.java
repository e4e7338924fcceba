package dev.vigil.examples.sim;

import java.util.SplittableRandom;

/**
 * An image model such as DALL-E 3: several seconds per image, with timeouts and content-policy
 * refusals.
 */
public final class ImageModel {
  private final Simulation simulation;
  private final SplittableRandom random;

  public ImageModel(Simulation simulation) {
    this.simulation = simulation;
    this.random = simulation.split();
  }

  /** A generated image. */
  public record Image(String url) {}

  /** The model did not finish in time. */
  public static final class GenerationTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GenerationTimeoutException() {
      super("Image generation timed out after 60 s");
    }
  }

  /** The prompt was refused. */
  public static final class ContentPolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ContentPolicyException() {
      super("Your request was rejected as a result of our safety system");
    }
  }

  public Image generate(String prompt) throws InterruptedException {
    double roll;
    double latency;
    long id;
    synchronized (random) {
      roll = random.nextDouble();
      latency = Simulation.latencyMillis(random, 6_000, 15_000);
      id = random.nextLong() & Long.MAX_VALUE;
    }
    if (roll < 0.03) {
      simulation.pass(60_000);
      throw new GenerationTimeoutException();
    }
    simulation.pass(latency);
    if (roll < 0.07) {
      throw new ContentPolicyException();
    }
    return new Image("https://images.example.com/" + Long.toHexString(id) + ".png");
  }
}
