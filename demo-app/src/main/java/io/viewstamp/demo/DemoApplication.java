package io.viewstamp.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo: a bank whose accounts are a replicated bean, served over REST. Run three of them
 * with the {@code replica-0}, {@code replica-1} and {@code replica-2} profiles (see
 * {@code cluster.sh}) and every replica holds the same balances.
 */
@SpringBootApplication
public class DemoApplication {

	/**
	 * Starts one replica of the demo.
	 * @param args the command line arguments, e.g. {@code --spring.profiles.active=replica-0}
	 */
	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
