/**
 * {@code helpstream run} as a child process configured by environment variables, as it is deployed: started, waited
 * for, stopped with SIGTERM, killed with SIGKILL and started again, or frozen with SIGSTOP and let go on. Used by the
 * crash and chaos tests and the recovery benchmark; it needs none of the processor's classes.
 */
package io.helpstream.localstack.process;
