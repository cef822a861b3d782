/**
 * {@code helpstream run} as a child process configured by environment variables, as it is deployed: started, waited
 * for, stopped with SIGTERM, or killed with SIGKILL and started again. Used by the crash test and the recovery
 * benchmark; it needs none of the processor's classes.
 */
package io.helpstream.localstack.process;
