-- First start of the compose PostgreSQL: the two databases (the app's and Kratos'). Use separate roles
-- with passwords on a real server; see docs/deploy.md.
CREATE DATABASE app;
CREATE DATABASE kratos;
