package dev.mt5augment.worker.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports the worker listens on, and the bootstrap servers it connects to, against real sockets. */
class PortCheckTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aBusyMetricsPortFailsNamingTheSetting() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            List<Finding> f = PortCheck.run(port, -1);
            assertEquals(1, f.size());
            assertEquals(Finding.Severity.FAIL, f.get(0).severity());
            assertTrue(f.get(0).message().contains("port " + port) && f.get(0).message().contains("--http-port"), f.get(0).message());
        }
    }

    @Test
    void aBusyEmbeddedBrokerPortFails() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            List<Finding> f = PortCheck.run(-1, taken.getLocalPort());
            assertEquals(Finding.Severity.FAIL, f.get(0).severity());
            assertTrue(f.get(0).message().contains("embedded_kafka_port"), f.get(0).message());
        }
    }

    @Test
    void freePortsPassAndZeroOrOffNeedNoPort() throws IOException {
        int port = freePort();
        List<Finding> f = PortCheck.run(port, -1);
        assertEquals(Finding.Severity.OK, f.get(0).severity(), f.toString());
        assertTrue(f.get(0).message().contains(String.valueOf(port)));
        assertEquals(Finding.Severity.OK, PortCheck.run(0, -1).get(0).severity());
        assertEquals(Finding.Severity.OK, PortCheck.run(-1, 0).get(0).severity());
    }

    @Test
    void aListeningBootstrapServerIsReachable() throws IOException {
        try (ServerSocket broker = new ServerSocket(0)) {
            List<Finding> f = KafkaReachCheck.run("127.0.0.1:" + freePort() + ",127.0.0.1:" + broker.getLocalPort());
            assertEquals(Finding.Severity.OK, f.get(0).severity(), f.toString());
        }
    }

    @Test
    void noReachableServerIsAWarningNotAFailure() throws IOException {
        List<Finding> f = KafkaReachCheck.run("127.0.0.1:" + freePort());
        assertEquals(Finding.Severity.WARN, f.get(0).severity(), f.toString());
        assertTrue(f.get(0).message().contains("keep retrying"), f.get(0).message());
    }

    @Test
    void aMalformedServerFails() {
        assertEquals(Finding.Severity.FAIL, KafkaReachCheck.run("kafka-without-port").get(0).severity());
        assertEquals(Finding.Severity.FAIL, KafkaReachCheck.run(" , ").get(0).severity());
    }
}
