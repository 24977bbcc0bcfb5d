package io.trainchain.trainer.train;

import org.nd4j.common.primitives.Triple;
import org.nd4j.linalg.api.buffer.BaseDataBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads an array that {@code Nd4j.write} wrote (a checkpoint's coefficients.bin and updaterState.bin) as
 * {@code Nd4j.read} does, but copies a float array's values in one bulk step: ND4J puts them one at a time through
 * its indexer, ~100 ms on a cold JVM for the default net's 431k weights and 862k Adam moments. Any other kind of
 * array (another data type, an old format) is left to {@code Nd4j.read}.
 */
final class SavedArrays {
    private SavedArrays() {
    }

    static INDArray read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        // The shape buffer exactly as Nd4j.read reads it (a few longs), then the data buffer's header.
        Triple<DataBuffer.AllocationMode, Long, DataType> shapeHeader = BaseDataBuffer.readHeader(in);
        DataBuffer shapeInfo = Nd4j.createBufferDetached(new long[]{shapeHeader.getMiddle()}, shapeHeader.getRight());
        shapeInfo.read(in, shapeHeader.getLeft(), shapeHeader.getMiddle(), shapeHeader.getRight());
        Triple<DataBuffer.AllocationMode, Long, DataType> dataHeader = BaseDataBuffer.readHeader(in);
        if (dataHeader.getLeft() != DataBuffer.AllocationMode.MIXED_DATA_TYPES
                || dataHeader.getRight() != DataType.FLOAT || !isFloat(shapeInfo)) {
            return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        }
        long n = dataHeader.getMiddle();
        if (n < 0 || n * Float.BYTES != in.available()) {
            throw new IOException("an array of " + n + " floats in " + in.available() + " bytes");
        }
        float[] values = new float[(int) n];
        ByteBuffer.wrap(bytes, bytes.length - in.available(), in.available()).order(ByteOrder.BIG_ENDIAN)
                .asFloatBuffer().get(values); // DataOutputStream.writeFloat's order
        return Nd4j.createArrayFromShapeBuffer(Nd4j.createBuffer(values), shapeInfo);
    }

    private static boolean isFloat(DataBuffer shapeInfo) {
        try {
            return ArrayOptionsHelper.dataType(shapeInfo.asLong()) == DataType.FLOAT;
        } catch (RuntimeException e) { // an old shape without a data type: Nd4j.read knows what to do with it
            return false;
        }
    }
}
