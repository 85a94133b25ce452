package io.github.dl4jspectral.benchmarks.claims;

import java.util.Arrays;
import java.util.Locale;

/** The image data sets the harness trains on: 28x28 grey-scale images in 10 classes, 60,000 + 10,000. */
public enum Dataset {
    /** LeCun's handwritten digits, the data of the Phys. Rev. E and Nat. Commun. papers' MNIST experiments. */
    MNIST("mnist", "MNIST"),
    /** Zalando's Fashion-MNIST. */
    FASHION("fashion", "Fashion-MNIST");

    private final String key;
    private final String title;

    Dataset(String key, String title) {
        this.key = key;
        this.title = title;
    }

    /** The name on the command line and in every logged row. */
    public String key() {
        return key;
    }

    /** The name in reports. */
    public String title() {
        return title;
    }

    /** The data set named {@code name} on the command line. */
    public static Dataset of(String name) {
        return Arrays.stream(values()).filter(d -> d.key.equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--dataset " + name + ": unknown data set; expected "
                        + "mnist or fashion"));
    }
}
