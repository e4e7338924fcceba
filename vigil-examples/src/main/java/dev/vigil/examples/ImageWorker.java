package dev.vigil.examples;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.StructuredLogger;
import dev.vigil.examples.sim.ImageModel;
import dev.vigil.examples.sim.Simulation;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The specification's third example: an image-generation worker draining a queue with a few
 * concurrent workers. Each job is timed and counted as active by the job wrapper, so the active
 * count cannot drift when a job throws.
 */
public final class ImageWorker implements AutoCloseable {
  static final String QUEUE = "image-generation";
  static final String JOB_TYPE = "dalle-3";

  private final Monitoring monitoring;
  private final StructuredLogger log;
  private final ImageModel model;
  private final Simulation simulation;
  private final GroundTruth truth = new GroundTruth();
  private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(1000);
  private final ExecutorService workers;
  private final int concurrency;
  private final Thread producer;
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean running = true;

  /** A queued job, as BullMQ would hand it over. */
  record Job(String id, String userId, String prompt, int attemptsMade) {}

  ImageWorker(Monitoring monitoring, Simulation simulation, int concurrency, double jobsPerSecond) {
    this.monitoring = monitoring;
    this.log = monitoring.logger(ImageWorker.class);
    this.simulation = simulation;
    this.model = new ImageModel(simulation);
    this.concurrency = concurrency;
    this.workers = Executors.newFixedThreadPool(concurrency, Daemon.named("image-worker"));
    SplittableRandom random = simulation.split();
    this.producer = Daemon.named("image-jobs").newThread(() -> produce(random, jobsPerSecond));
  }

  void start() {
    producer.start();
    for (int i = 0; i < concurrency; i++) {
      workers.execute(this::work);
    }
  }

  private void produce(SplittableRandom random, double jobsPerSecond) {
    try {
      while (running) {
        Job job =
            new Job(
                "job-" + ids.incrementAndGet(),
                "user-" + (1 + random.nextInt(400)),
                "a watercolour fox, variant " + random.nextInt(1000),
                0);
        if (!queue.offer(job)) {
          truth.inc("jobs.rejected");
        }
        simulation.pass(1000 / jobsPerSecond);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void work() {
    try {
      while (running) {
        Job job = queue.poll(100, TimeUnit.MILLISECONDS);
        if (job == null) {
          continue;
        }
        try {
          processImageGenerationJob(job);
        } catch (RuntimeException alreadyTracked) {
          // the queue library would retry or dead-letter it; the failure is tracked
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The seed's {@code processImageGenerationJob}, with the job wrapper doing the bookkeeping. */
  String processImageGenerationJob(Job job) throws InterruptedException {
    log.info(
        "Processing image generation job",
        Map.of("jobId", job.id(), "userId", job.userId(), "prompt", job.prompt()));
    try {
      // the wrapper also puts queue, job type and job id into every log line inside the job
      String url =
          monitoring
              .metrics()
              .callJob(
                  QUEUE,
                  JOB_TYPE,
                  job.id(),
                  () -> {
                    ImageModel.Image image = model.generate(job.prompt());
                    monitoring.trackKpi(
                        Kpi.tokenSpend(1, "dall-e-3", "image").forUser(job.userId()));
                    monitoring.trackKpi(Kpi.generationSuccess("image"));
                    return image.url();
                  });
      truth.inc("jobs.success");
      truth.inc("generation.image.success");
      truth.add("tokens.dall-e-3.image", 1);
      log.info(
          "Image generated successfully",
          Map.of("jobId", job.id(), "userId", job.userId(), "imageUrl", url));
      return url;
    } catch (RuntimeException error) {
      // callJob has counted queue_failures_total{error_type=<exception class>} already
      monitoring.trackKpi(Kpi.generationFailure("image", error));
      truth.inc("jobs.failure");
      truth.inc("generation.image.failure");
      truth.inc("jobs.failure." + Kpi.errorType(error));
      monitoring
          .alerts()
          .alertQueueFailure(
              QUEUE,
              error,
              Map.of(
                  "jobId",
                  job.id(),
                  "userId",
                  job.userId(),
                  "prompt",
                  job.prompt(),
                  "attempts",
                  job.attemptsMade()));
      log.error(
          "Image generation failed", error, Map.of("jobId", job.id(), "userId", job.userId()));
      throw error;
    }
  }

  /** Stops new jobs and waits for the ones being processed, so counts settle. */
  public void drain() throws InterruptedException {
    running = false;
    producer.interrupt();
    producer.join();
    workers.shutdown();
    if (!workers.awaitTermination(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("image workers did not finish within 120 s");
    }
  }

  public GroundTruth truth() {
    return truth;
  }

  public Monitoring monitoring() {
    return monitoring;
  }

  @Override
  public void close() {
    running = false;
    producer.interrupt();
    Daemon.stop(workers);
    monitoring.close();
  }
}
