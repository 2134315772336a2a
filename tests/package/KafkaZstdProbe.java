import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

/** Kafka's zstd codec round-trips a record batch's bytes with the uber jar's one zstd-jni. */
public class KafkaZstdProbe {
    public static void main(String[] args) throws Exception {
        byte[] payload = "orderflow ".repeat(1000).getBytes(StandardCharsets.UTF_8);
        ByteBufferOutputStream buffer = new ByteBufferOutputStream(1024);
        try (OutputStream out = CompressionType.ZSTD.wrapForOutput(buffer, RecordBatch.CURRENT_MAGIC_VALUE)) {
            out.write(payload);
        }
        ByteBuffer compressed = buffer.buffer();
        compressed.flip();
        int size = compressed.remaining();
        try (InputStream in = CompressionType.ZSTD.wrapForInput(
                compressed, RecordBatch.CURRENT_MAGIC_VALUE, BufferSupplier.create())) {
            byte[] back = in.readAllBytes();
            if (!java.util.Arrays.equals(back, payload)) throw new AssertionError("zstd round trip differs");
        }
        System.out.println("zstd: " + payload.length + " bytes -> " + size + " and back");
    }
}
