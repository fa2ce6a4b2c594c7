package io.viewstamp.transport;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import io.viewstamp.vsr.Message;

/** A {@link MessageListener} that records what it hears, for tests to wait on and assert. */
final class RecordingListener implements MessageListener {

	/** One message as the listener got it. */
	record Received(int fromReplica, Message message) {
	}

	private final Queue<Received> messages = new ConcurrentLinkedQueue<>();

	private final Queue<String> events = new ConcurrentLinkedQueue<>();

	@Override
	public void onMessage(int fromReplica, Message message) {
		this.messages.add(new Received(fromReplica, message));
	}

	@Override
	public void onPeerConnected(int replica) {
		this.events.add("connected " + replica);
	}

	@Override
	public void onPeerDisconnected(int replica) {
		this.events.add("disconnected " + replica);
	}

	List<Received> messages() {
		return List.copyOf(this.messages);
	}

	/** The encoded messages from {@code replica}, in arrival order: encoded, since some messages hold arrays. */
	List<String> encodedFrom(int replica) {
		return this.messages.stream()
			.filter((received) -> received.fromReplica() == replica)
			.map((received) -> encoded(received.message()))
			.collect(Collectors.toList());
	}

	/** Connection events in order, e.g. "connected 1", "disconnected 1". */
	List<String> events() {
		return List.copyOf(this.events);
	}

	static String encoded(Message message) {
		return java.util.HexFormat.of().formatHex(MessageCodec.encode(message));
	}

}
