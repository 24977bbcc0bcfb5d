package io.trainchain.engine.detect;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The ML frameworks Trainchain knows. Declaration order breaks ties: DL4J, the product's first framework, wins. */
public enum Framework {
    DL4J("Deeplearning4j", "dl4j"),
    PYTORCH("PyTorch", "pytorch"),
    TENSORFLOW("TensorFlow", "tensorflow"),
    SKLEARN("scikit-learn", "sklearn");

    private final String displayName;
    private final String recipe;

    Framework(String displayName, String recipe) {
        this.displayName = displayName;
        this.recipe = recipe;
    }

    public String displayName() {
        return displayName;
    }

    /** Name of the image recipe folder under dockerfiles/. */
    public String recipe() {
        return recipe;
    }

    /** Spellings accepted in trainchain.yaml, besides the recipe name and the enum name. */
    private static final Map<String, Framework> ALIASES = Map.of(
            "deeplearning4j", DL4J,
            "torch", PYTORCH,
            "keras", TENSORFLOW,
            "tf", TENSORFLOW,
            "scikit-learn", SKLEARN,
            "scikit_learn", SKLEARN);

    /** Parses a user-given name ("pytorch", "PyTorch", "torch", "scikit-learn"...); empty when unknown. */
    public static Optional<Framework> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Framework f : values()) {
            if (f.recipe.equals(n) || f.name().toLowerCase(Locale.ROOT).equals(n)
                    || f.displayName.toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(f);
            }
        }
        return Optional.ofNullable(ALIASES.get(n));
    }

    /** The recipe names, for error messages: "dl4j, pytorch, tensorflow, sklearn". */
    public static String knownNames() {
        return String.join(", ", Arrays.stream(values()).map(Framework::recipe).toList());
    }
}
