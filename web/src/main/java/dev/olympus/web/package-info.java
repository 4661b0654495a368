/** Server plumbing shared by the cloud and the edge. */
package dev.olympus.web;
