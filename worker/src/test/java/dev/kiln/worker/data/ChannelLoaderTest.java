package dev.kiln.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels from local folders: formats, label encodings and the errors users see. */
class ChannelLoaderTest {
  @TempDir Path dir;
  private final ChannelLoader loader = new ChannelLoader(ObjectStores.of(null));

  private String write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return "file:" + p;
  }

  private Dataset csv(String uri, String label, Targets t, int outputs) {
    return loader.load(new ChannelSpec("train", uri, "csv", label), t, outputs, null);
  }

  @Test
  void readsDigitsWithTheLabelColumnLast() throws IOException {
    Path p = dir.resolve("digits.csv");
    try (InputStream in = getClass().getResourceAsStream("/data/digits-400.csv")) {
      Files.copy(in, p);
    }
    Dataset d = csv("file:" + p, null, Targets.CLASSES, 10);
    assertThat(d.rows()).isEqualTo(400);
    assertThat(d.features()).isEqualTo(64);
    assertThat(d.labelName()).isEqualTo("label");
    assertThat(d.encoding().kind()).isEqualTo(LabelEncoding.Kind.CLASS_IDS);
    assertThat(d.encoding().classNames()).hasSize(10).startsWith("0", "1");
    assertThat(d.targets()[0]).isEqualTo(0f); // first digits row is a 0
    assertThat(d.digest()).hasSize(64);
  }

  @Test
  void labelColumnByNameAndStringClassesInSortedOrder() throws IOException {
    String uri = write("a.csv", "x1,species,x2\n1,setosa,2\n3,virginica,4\n5,versicolor,6\n");
    Dataset d = csv(uri, "species", Targets.CLASSES, 3);
    assertThat(d.featureNames()).containsExactly("x1", "x2");
    assertThat(d.x()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(d.encoding().classNames()).containsExactly("setosa", "versicolor", "virginica");
    assertThat(d.targets()).containsExactly(0, 2, 1);
  }

  @Test
  void validationReusesTrainingClassesAndRejectsUnknownOnes() throws IOException {
    Dataset train = csv(write("t.csv", "x,y\n1,cat\n2,dog\n"), null, Targets.CLASSES, 2);
    Dataset val =
        loader.load(
            new ChannelSpec("validation", write("v.csv", "x,y\n1,dog\n"), null, null),
            Targets.CLASSES,
            2,
            train);
    assertThat(val.targets()).containsExactly(1);
    ChannelSpec bad = new ChannelSpec("validation", write("w.csv", "x,y\n1,cow\n"), null, null);
    assertThatThrownBy(() -> loader.load(bad, Targets.CLASSES, 2, train))
        .hasMessageContaining("w.csv line 2: label 'cow' is not one of the training channel's");
    ChannelSpec narrow = new ChannelSpec("validation", write("n.csv", "y\ncat\n"), null, null);
    assertThatThrownBy(() -> loader.load(narrow, Targets.CLASSES, 2, train))
        .isInstanceOf(DataException.class);
    ChannelSpec wide =
        new ChannelSpec("validation", write("m.csv", "a,b,y\n1,2,cat\n"), null, null);
    assertThatThrownBy(() -> loader.load(wide, Targets.CLASSES, 2, train))
        .hasMessageContaining("has 2 features per sample, but the model's input")
        .hasMessageContaining("is 1 wide");
  }

  @Test
  void raggedRowNamesItsLine() throws IOException {
    String uri = write("r.csv", "a,b,label\n1,2,0\n\n3,4\n");
    assertThatThrownBy(() -> csv(uri, null, Targets.CLASSES, 2))
        .isInstanceOf(DataException.class)
        .hasMessageEndingWith("r.csv line 4: 2 fields, but the header has 3 columns");
  }

  @Test
  void nonNumericValueNamesLineAndColumn() throws IOException {
    String uri = write("n.csv", "a,b,label\n1,2,0\n3,oops,1\n");
    assertThatThrownBy(() -> csv(uri, null, Targets.CLASSES, 2))
        .hasMessageEndingWith("n.csv line 3, column 'b': 'oops' is not a number");
  }

  @Test
  void nanAndInfinityAreRefused() throws IOException {
    assertThatThrownBy(() -> csv(write("i.csv", "a,label\nNaN,0\n"), null, Targets.CLASSES, 2))
        .hasMessageContaining("line 2, column 'a': NaN is not allowed");
    assertThatThrownBy(
            () -> csv(write("j.csv", "a,label\n1,0\nInfinity,1\n"), null, Targets.VALUES, 1))
        .hasMessageContaining("line 3, column 'a': Infinity is not allowed");
  }

  @Test
  void labelOutOfRangeForTheOutputLayer() throws IOException {
    String uri = write("o.csv", "a,label\n1,0\n2,10\n");
    assertThatThrownBy(() -> csv(uri, null, Targets.CLASSES, 10))
        .hasMessageContaining(
            "o.csv line 3: label 10 is out of range for an output layer of 10"
                + " classes (ids 0..9)");
    assertThatThrownBy(() -> csv(write("p.csv", "a,label\n1,0.5\n2,2\n"), null, Targets.BINARY, 1))
        .hasMessageContaining("labels must be in [0, 1], got 2.0");
  }

  @Test
  void emptyChannelsAreRefused() throws IOException {
    assertThatThrownBy(() -> csv(write("e.csv", "a,label\n"), null, Targets.CLASSES, 2))
        .hasMessageContaining("has a header but no data rows");
    Files.createDirectories(dir.resolve("none"));
    assertThatThrownBy(() -> csv("file:" + dir.resolve("none") + "/", null, Targets.CLASSES, 2))
        .hasMessageContaining("no .csv objects at");
    assertThatThrownBy(() -> csv("file:" + dir.resolve("absent.csv"), null, Targets.CLASSES, 2))
        .isInstanceOf(DataException.class);
  }

  @Test
  void aPrefixConcatenatesItsCsvObjectsInKeyOrder() throws IOException {
    write("shards/part-1.csv", "a,label\n3,1\n");
    write("shards/part-0.csv", "a,label\n1,0\n2,1\n");
    write("shards/notes.txt", "ignored");
    Dataset d = csv("file:" + dir.resolve("shards") + "/", null, Targets.CLASSES, 2);
    assertThat(d.x()).containsExactly(1, 2, 3);
    write("bad/part-0.csv", "a,label\n1,0\n");
    write("bad/part-1.csv", "b,label\n1,0\n");
    assertThatThrownBy(() -> csv("file:" + dir.resolve("bad"), null, Targets.CLASSES, 2))
        .hasMessageContaining("differs from the first object's");
  }

  @Test
  void missingLabelColumnListsTheHeader() throws IOException {
    String uri = write("h.csv", "a,b\n1,2\n");
    assertThatThrownBy(() -> csv(uri, "target", Targets.VALUES, 1))
        .hasMessageContaining("label column 'target' is not in the header [a, b]");
  }

  @Test
  void npyChannelReadsXAndYFromAFolder() throws IOException {
    Files.createDirectories(dir.resolve("np"));
    Files.write(
        dir.resolve("np/X.npy"),
        Npy.of("<f8", new int[] {3, 2}, false, new double[] {1, 2, 3, 4, 5, 6}));
    Files.write(
        dir.resolve("np/y.npy"), Npy.of("<i8", new int[] {3}, false, new double[] {2, 0, 1}));
    Dataset d =
        loader.load(
            new ChannelSpec("train", "file:" + dir.resolve("np") + "/", "npy", null),
            Targets.CLASSES,
            3,
            null);
    assertThat(d.rows()).isEqualTo(3);
    assertThat(d.features()).isEqualTo(2);
    assertThat(d.targets()).containsExactly(2, 0, 1);
    Files.write(
        dir.resolve("np/y.npy"), Npy.of("<i8", new int[] {3}, false, new double[] {2, 0, 3}));
    assertThatThrownBy(
            () ->
                loader.load(
                    new ChannelSpec("train", "file:" + dir.resolve("np/X.npy"), null, null),
                    Targets.CLASSES,
                    3,
                    null))
        .hasMessageContaining("y.npy element 2: label 3 is out of range");
  }

  @Test
  void unknownFormatIsRefused() {
    assertThatThrownBy(() -> new ChannelSpec("train", "s3://b/x.parquet", "parquet", null))
        .hasMessageContaining("inputs.train.format 'parquet' is not supported");
  }
}
