package dev.whetstone.train;

/**
 * Score distillation from the run's teacher ({@link MiningConfig#teacher()}), added to InfoNCE.
 *
 * @param weight how much the distillation loss counts beside InfoNCE's 1; 0: off
 * @param teacherTemperature the temperature of the teacher's score softmax
 */
public record DistillationConfig(float weight, float teacherTemperature) {
  public static final float DEFAULT_WEIGHT = 0;
  public static final float DEFAULT_TEACHER_TEMPERATURE = 0.02f;

  public DistillationConfig {
    if (!(weight >= 0)) {
      throw new IllegalArgumentException("--distill-weight must be >= 0, got " + weight);
    }
    if (!(teacherTemperature > 0)) {
      throw new IllegalArgumentException("--distill-temperature must be > 0, got "
          + teacherTemperature);
    }
  }

  public static DistillationConfig defaults() {
    return new DistillationConfig(DEFAULT_WEIGHT, DEFAULT_TEACHER_TEMPERATURE);
  }

  public boolean enabled() {
    return weight > 0;
  }
}
