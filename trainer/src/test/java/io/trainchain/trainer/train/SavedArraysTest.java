package io.trainchain.trainer.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SavedArraysTest {
    private static byte[] written(INDArray a) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(a, out);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsWhatNd4jReadsBitForBit() throws IOException {
        INDArray odd = Nd4j.create(new float[]{Float.MIN_VALUE, -0.0f, Float.MAX_VALUE, Float.NaN,
                Float.NEGATIVE_INFINITY, 1e-40f}, new long[]{1, 6}, 'c');
        for (INDArray a : List.of(Nd4j.rand(DataType.FLOAT, 1, 431), odd, Nd4j.rand(DataType.FLOAT, 3, 4, 5),
                Nd4j.rand(DataType.FLOAT, 'f', 7, 2), Nd4j.rand(DataType.DOUBLE, 1, 9), Nd4j.create(DataType.FLOAT, 1, 0))) {
            byte[] bytes = written(a);
            INDArray want = Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
            INDArray got = SavedArrays.read(bytes);
            String what = a.dataType() + " " + Arrays.toString(a.shape()) + " " + a.ordering();
            assertEquals(want.dataType(), got.dataType(), what);
            assertEquals(want.shapeInfoToString(), got.shapeInfoToString(), what);
            if (want.dataType() == DataType.FLOAT) {
                float[] w = want.data().asFloat();
                float[] g = got.data().asFloat();
                assertEquals(w.length, g.length, what);
                for (int i = 0; i < w.length; i++) {
                    assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(g[i]), what + " at " + i);
                }
            } else {
                assertArrayEquals(want.data().asDouble(), got.data().asDouble(), what);
            }
        }
    }

    @Test
    void aTruncatedArrayIsAnError() throws IOException {
        byte[] bytes = written(Nd4j.rand(DataType.FLOAT, 1, 100));
        String m = assertThrows(IOException.class, () -> SavedArrays.read(Arrays.copyOf(bytes, bytes.length - 4)))
                .getMessage();
        assertEquals("an array of 100 floats in 396 bytes", m);
    }
}
