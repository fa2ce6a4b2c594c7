package io.viewstamp.benchmarks.w1.ratis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The three-server group of W1 on Ratis and what its clients and servers share: the peers on
 * 127.0.0.1, the transport, and the encoding of an increment and its answer.
 */
final class RatisCluster {

	/** One group id for every run, so that a client and the servers agree without talking. */
	static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("viewstamp-w1".getBytes(
			StandardCharsets.UTF_8)));

	static final Message INCREMENT = Message.valueOf(ByteString.copyFrom(new byte[] { 1 }));

	static final Message READ = Message.valueOf(ByteString.copyFrom(new byte[] { 0 }));

	private final SupportedRpcType transport;

	private final List<Integer> ports;

	private final RaftGroup group;

	/**
	 * @param transport {@code netty} or {@code grpc}
	 * @param ports the servers' ports on 127.0.0.1, comma-separated
	 */
	RatisCluster(String transport, String ports) {
		this.transport = switch (transport.toLowerCase(Locale.ROOT)) {
			case "netty" -> SupportedRpcType.NETTY;
			case "grpc" -> SupportedRpcType.GRPC;
			default -> throw new IllegalArgumentException("The Ratis transport must be netty or grpc; got " + transport);
		};
		this.ports = Arrays.stream(ports.split(",")).map(String::trim).map(Integer::valueOf).toList();
		List<RaftPeer> peers = new ArrayList<>();
		for (int index = 0; index < this.ports.size(); index++) {
			peers.add(RaftPeer.newBuilder()
				.setId(peerId(index))
				.setAddress("127.0.0.1:" + this.ports.get(index))
				.build());
		}
		this.group = RaftGroup.valueOf(GROUP_ID, peers);
	}

	static RaftPeerId peerId(int index) {
		return RaftPeerId.valueOf("n" + index);
	}

	RaftGroup group() {
		return this.group;
	}

	/** The properties of a server or a client: only the transport and the port differ from Ratis's defaults. */
	RaftProperties properties(int serverIndex) {
		RaftProperties properties = new RaftProperties();
		RaftConfigKeys.Rpc.setType(properties, this.transport);
		if (serverIndex >= 0) {
			int port = this.ports.get(serverIndex);
			if (this.transport == SupportedRpcType.NETTY) {
				NettyConfigKeys.Server.setPort(properties, port);
			}
			else {
				GrpcConfigKeys.Server.setPort(properties, port);
			}
		}
		return properties;
	}

	RaftClient newClient() {
		return RaftClient.newBuilder().setProperties(properties(-1)).setRaftGroup(this.group).build();
	}

	/** The counter's value in an answer of the state machine. */
	static long value(RaftClientReply reply) {
		if (!reply.isSuccess()) {
			throw new IllegalStateException("Ratis refused the increment: " + reply.getException());
		}
		return ByteBuffer.wrap(reply.getMessage().getContent().toByteArray()).getLong();
	}

	static Message valueMessage(long value) {
		return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(value).array()));
	}

}
