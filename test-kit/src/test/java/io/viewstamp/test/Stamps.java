package io.viewstamp.test;

import java.util.ArrayList;
import java.util.List;

import io.viewstamp.Replicated;

/** A faulty bean: it stamps each entry with the replica's own clock, which differs on every replica. */
@Replicated
public class Stamps {

	private final List<String> entries = new ArrayList<>();

	public void add(String entry) {
		this.entries.add(entry + "@" + stamp());
	}

	private long stamp() {
		return System.currentTimeMillis();
	}

}
