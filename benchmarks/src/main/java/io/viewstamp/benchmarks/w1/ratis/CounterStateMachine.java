package io.viewstamp.benchmarks.w1.ratis;

import java.util.concurrent.CompletableFuture;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;

/** The counter as a Ratis state machine: each committed entry adds one and answers the new value. */
final class CounterStateMachine extends BaseStateMachine {

	private long value;

	@Override
	public synchronized CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
		LogEntryProto entry = transaction.getLogEntry();
		this.value++;
		updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
		return CompletableFuture.completedFuture(RatisCluster.valueMessage(this.value));
	}

	@Override
	public synchronized CompletableFuture<Message> query(Message request) {
		return CompletableFuture.completedFuture(RatisCluster.valueMessage(this.value));
	}

}
