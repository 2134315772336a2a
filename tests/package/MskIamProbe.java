// Run with only the uber jar on the classpath (tests/package/test_msk_iam.py):
//   java -cp pyflink-dependencies.jar MskIamProbe.java <unreachable bootstrap>
// Proves that what DEPLOYMENT_ENV=aws configures for Kafka (pipeline/config.py: SASL_SSL,
// AWS_MSK_IAM, IAMLoginModule, IAMClientCallbackHandler) loads and works from that jar alone.
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.msk.auth.iam.IAMClientCallbackHandler;
import software.amazon.msk.auth.iam.IAMLoginModule;
import software.amazon.msk.auth.iam.internals.AWSCredentialsCallback;

public class MskIamProbe {
    public static void main(String[] args) throws Exception {
        // 1. The callback handler runs the AWS credential chain (here: the fake keys in the
        //    environment; on AWS the application role), as the SASL client will ask it to.
        IAMClientCallbackHandler handler = new IAMClientCallbackHandler();
        AppConfigurationEntry entry = new AppConfigurationEntry(
            IAMLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of());
        handler.configure(Map.of(), "AWS_MSK_IAM", List.of(entry));
        AWSCredentialsCallback callback = new AWSCredentialsCallback();
        handler.handle(new Callback[] {callback});
        if (!callback.isSuccessful()) {
            throw new IllegalStateException("credential chain failed: " + callback.getLoadingException());
        }
        AwsCredentials credentials = callback.getAwsCredentials();
        System.out.println("credentials: " + credentials.accessKeyId());

        // 2. A Kafka producer configured as the job configures its DLQ sink: building it loads
        //    the login module through JAAS and the handler through Kafka's own config classes.
        Properties props = new Properties();
        props.put("bootstrap.servers", args[0]);
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", "AWS_MSK_IAM");
        props.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
        props.put("sasl.client.callback.handler.class", IAMClientCallbackHandler.class.getName());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            System.out.println("producer: " + producer.getClass().getName() + " with AWS_MSK_IAM");
        }
    }
}
