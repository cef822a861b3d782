/**
 * What an operator's commands do to a running deployment, apart from their command line: reading and replaying dead
 * letters, and erasing a customer. They talk to the deployment through its topics (the control topic carries their
 * commands to the tasks), its database and its cache.
 */
package io.helpstream.admin;
