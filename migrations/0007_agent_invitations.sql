-- Invitations into an agent: staff invite the people of an agent who have no login yet; accepting
-- creates the login and makes it act for the agent (agent_users). Such an invitation names no
-- companies: what the agent sees follows its allocations.
ALTER TABLE invitations ADD COLUMN agent_id INTEGER REFERENCES agents (id) ON DELETE CASCADE;
