package io.viewstamp.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.jspecify.annotations.Nullable;

/**
 * Frames on their way to one peer, written by the I/O thread in bursts: a sender queues its frame
 * and hands the I/O thread a task only when none is pending, and that task writes every frame queued
 * meanwhile and flushes once. A replica's loop that sends a prepare, a commit and a few replies in
 * one step then costs the I/O thread one wake-up and the socket one {@code write}, where a
 * {@code writeAndFlush} per message cost one of each per message (docs/benchmarks.md, W1).
 *
 * <p>Frames keep their order: one queue per peer, drained by one thread. A frame is written to
 * the connection current when its burst is written; with none, it is dropped and counted, as one
 * sent to a peer that is not connected always was.
 */
final class OutgoingFrames {

	private final ConcurrentLinkedQueue<byte[]> frames = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean writeScheduled = new AtomicBoolean();

	/** Bytes queued and not yet handed to the connection: with what the connection holds, bounded by the owner. */
	private final AtomicLong queuedBytes = new AtomicLong();

	private final long queuedBytesMax;

	private final Peer peer;

	/** Counts each frame once its write ends, shared so that a write allocates no listener of its own. */
	private final ChannelFutureListener counter;

	/**
	 * @param peer whose connection the frames go to, and whose counters they count in
	 * @param queuedBytesMax bytes that may wait here for the I/O thread; more are dropped
	 */
	OutgoingFrames(Peer peer, long queuedBytesMax) {
		this.peer = peer;
		this.queuedBytesMax = queuedBytesMax;
		this.counter = (written) -> {
			if (written.isSuccess()) {
				peer.sent();
			}
			else {
				peer.dropped();
			}
		};
	}

	/**
	 * Queues {@code frame} for the peer's connection {@code channel}, from any thread. A frame beyond
	 * the bound, or one the I/O thread no longer takes (the transport is closing), is dropped and
	 * counted.
	 */
	void offer(Channel channel, byte[] frame) {
		if (this.queuedBytes.addAndGet(frame.length) > this.queuedBytesMax) {
			this.queuedBytes.addAndGet(-frame.length);
			this.peer.dropped();
			return;
		}
		this.frames.add(frame);
		if (!this.writeScheduled.compareAndSet(false, true)) {
			return;
		}
		try {
			channel.eventLoop().execute(this::writeQueued);
		}
		catch (RejectedExecutionException ex) {
			this.writeScheduled.set(false);
			dropQueued();
		}
	}

	/** On the I/O thread: writes what is queued to the current connection, and flushes once. */
	private void writeQueued() {
		// Cleared before taking: a frame queued from here on schedules the next burst itself.
		this.writeScheduled.set(false);
		@Nullable Channel channel = this.peer.channel();
		if (channel == null || !channel.isActive()) {
			dropQueued();
			return;
		}
		boolean wrote = false;
		byte[] frame;
		while ((frame = this.frames.poll()) != null) {
			this.queuedBytes.addAndGet(-frame.length);
			// Each buffer has its own indices over the shared bytes, which nobody writes.
			channel.write(Unpooled.wrappedBuffer(frame)).addListener(this.counter);
			wrote = true;
		}
		if (wrote) {
			channel.flush();
		}
	}

	private void dropQueued() {
		byte[] frame;
		while ((frame = this.frames.poll()) != null) {
			this.queuedBytes.addAndGet(-frame.length);
			this.peer.dropped();
		}
	}

}
