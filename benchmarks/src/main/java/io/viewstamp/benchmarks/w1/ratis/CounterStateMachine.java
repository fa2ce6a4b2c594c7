package io.viewstamp.benchmarks.w1.ratis;

import java.util.concurrent.CompletableFuture;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;

/**
 * The counter as a Ratis state machine: each committed increment adds one and answers the new
 * value; any other entry (the benchmark's first write, which gives the logs an entry before a
 * leadership transfer) answers the value unchanged.
 */
final class CounterStateMachine extends BaseStateMachine {

	private long value;

	@Override
	public synchronized CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
		LogEntryProto entry = transaction.getLogEntry();
		if (entry.getStateMachineLogEntry().getLogData().equals(RatisCluster.INCREMENT.getContent())) {
			this.value++;
		}
		updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
		return CompletableFuture.completedFuture(RatisCluster.valueMessage(this.value));
	}

	@Override
	public synchronized CompletableFuture<Message> query(Message request) {
		return CompletableFuture.completedFuture(RatisCluster.valueMessage(this.value));
	}

}
