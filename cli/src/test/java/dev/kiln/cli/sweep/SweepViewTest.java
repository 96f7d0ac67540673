package dev.kiln.cli.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.api.status.TuningJobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepViewTest {
  private static final String YAML =
      """
      apiVersion: kiln.dev/v1alpha1
      kind: TuningJob
      metadata: {name: s, namespace: default}
      spec:
        objective: {metric: val_accuracy}
        parameters:
          - {name: optimizer.learningRate, type: double, min: 0.001, max: 0.1}
        maxTrials: 4
        trialTemplate:
          spec:
            algorithm:
              model: {layers: [{dense: 10, activation: softmax}]}
              loss: cross_entropy
            inputs: {train: {uri: "s3://d/t.csv"}}
            output: {uri: "s3://m/s/"}
      """;

  private static TuningJob sweep() {
    TuningJob s = Manifests.parse(YAML, TuningJob.class);
    TuningJobStatus st = new TuningJobStatus();
    st.phase = Phase.RUNNING;
    st.trials = new TuningJobStatus.TrialCounts();
    st.trials.running = 1;
    st.trials.succeeded = 1;
    st.trials.total = 2;
    st.bestTrial = new TuningJobStatus.BestTrial();
    st.bestTrial.name = "s-0";
    st.bestTrial.objective = 0.93;
    st.bestTrial.parameters =
        Map.of("optimizer.learningRate", "0.0123", "model.layers.0.dense", "64");
    s.setStatus(st);
    return s;
  }

  private static TrainingJob trial(int k, Phase phase, double accuracy) {
    TrainingJob t = new TrainingJob();
    t.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    t.getMetadata().setName("s-" + k);
    t.getMetadata()
        .setAnnotations(
            Map.of(
                "kiln.dev/trial-index",
                Integer.toString(k),
                "kiln.dev/trial-parameters",
                "{\"optimizer.learningRate\":\"0.0123\"}"));
    t.setSpec(Manifests.parse(YAML, TuningJob.class).getSpec().trialTemplate.spec);
    t.setStatus(new TrainingJobStatus());
    t.getStatus().phase = phase;
    t.getStatus().metrics = new TrainingJobStatus.Metrics();
    t.getStatus().metrics.latest = Map.of("epoch", 3.0, "val_accuracy", accuracy);
    return t;
  }

  @Test
  void bestPrintsQuotedHyperparametersThatParseBackToTheBestTrialsParameters() throws Exception {
    TuningJob s = sweep();
    String yaml = SweepBest.yaml(s, s.getStatus().bestTrial);

    assertThat(yaml).startsWith("# best trial of s: s-0, val_accuracy=0.9300\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> parsed = new YAMLMapper().readValue(yaml, Map.class);
    assertThat(parsed.get("hyperparameters")).isEqualTo(s.getStatus().bestTrial.parameters);
  }

  @Test
  void theLiveViewShowsProgressBestSoFarAndOnlyRunningTrials() {
    String frame =
        SweepWatch.render(
            sweep(), List.of(trial(0, Phase.SUCCEEDED, 0.93), trial(1, Phase.RUNNING, 0.81)));

    assertThat(frame).contains("[#######-----------------------] 1/4");
    assertThat(frame).contains("best so far: s-0 val_accuracy=0.9300");
    assertThat(frame).contains("s-1").contains("0.8100").contains("learningRate=0.0123");
    assertThat(frame).doesNotContain("s-0   ");
  }

  @Test
  void onAPipeEachChangePrintsOnePlainLineAndNothingRepeats() {
    StringWriter text = new StringWriter();
    SweepWatch watch = new SweepWatch(new PrintWriter(text), false);
    List<TrainingJob> trials = List.of(trial(1, Phase.RUNNING, 0.81));
    watch.show(sweep(), trials);
    watch.show(sweep(), trials);

    String out = text.toString();
    assertThat(out).doesNotContain("\033[");
    assertThat(out.lines()).hasSize(2);
    assertThat(out).contains("s-1 Running epoch 3/10 val_accuracy=0.8100");
  }
}
