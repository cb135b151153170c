import Pooling
