package io.trainchain.trainer.data;

import java.util.List;

/** A loaded dataset: the training and test sets, class names, how pixels are scaled, and its identity. */
public record Dataset(String name, ImageSet train, ImageSet test, List<String> classNames, PixelScaling scaling,
                      DatasetIdentity identity) {
    public Dataset {
        classNames = List.copyOf(classNames);
    }

    public int numClasses() {
        return classNames.size();
    }

    public Dataset withScaling(PixelScaling newScaling) {
        return new Dataset(name, train, test, classNames, newScaling, identity);
    }

    public Dataset withTrain(ImageSet newTrain, ImageSet newTest) {
        return new Dataset(name, newTrain, newTest, classNames, scaling, identity);
    }
}
