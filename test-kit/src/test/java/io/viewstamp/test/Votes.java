package io.viewstamp.test;

import java.util.ArrayList;
import java.util.List;

import io.viewstamp.ReadOnly;
import io.viewstamp.Replicated;
import io.viewstamp.ReplicatedState;

/**
 * A faulty bean: its snapshot holds the count of votes but misses who voted, so a replica
 * restored from a snapshot lets a voter vote twice.
 */
@Replicated
public class Votes implements ReplicatedState<Long> {

	private final List<String> voters = new ArrayList<>();

	private long count;

	public boolean vote(String voter) {
		if (this.voters.contains(voter)) {
			return false;
		}
		this.voters.add(voter);
		this.count++;
		return true;
	}

	@ReadOnly
	public long count() {
		return this.count;
	}

	@Override
	public Long snapshot() {
		return this.count;
	}

	@Override
	public void restore(Long state) {
		this.count = state;
	}

}
